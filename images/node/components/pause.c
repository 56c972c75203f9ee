/* The pod sandbox process: holds the pod's namespaces, reaps orphaned children when it is the pod's PID 1, and exits
 * cleanly on SIGINT or SIGTERM. Built statically, it is the only file of the pause image. */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static void stop(int sig) { (void)sig; _exit(0); }

static void reap(int sig) {
  (void)sig;
  while (waitpid(-1, 0, WNOHANG) > 0) {
  }
}

int main(void) {
  struct sigaction on_stop = {.sa_handler = stop};
  struct sigaction on_child = {.sa_handler = reap, .sa_flags = SA_NOCLDSTOP};
  if (sigaction(SIGINT, &on_stop, 0) < 0 || sigaction(SIGTERM, &on_stop, 0) < 0 ||
      sigaction(SIGCHLD, &on_child, 0) < 0) {
    return 1;
  }
  for (;;) {
    pause();
  }
}
