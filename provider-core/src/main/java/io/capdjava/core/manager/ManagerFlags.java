package io.capdjava.core.manager;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The command line of a provider process, in the spelling of upstream's managers (pflag): {@code --name=value},
 * {@code --name value}, and for switches {@code --name} or {@code --name=true|false}. Every provider accepts the
 * manager flags below; each adds its own. An unknown flag or a bad value is a {@link UsageException} naming the flag.
 */
public final class ManagerFlags {
  public static final String NAMESPACE = "namespace";
  public static final String CONCURRENCY = "concurrency";
  public static final String LEADER_ELECT = "leader-elect";
  public static final String LEADER_ELECTION_ID = "leader-election-id";
  public static final String LEADER_ELECTION_NAMESPACE = "leader-election-namespace";
  public static final String LEASE_DURATION = "leader-elect-lease-duration";
  public static final String RENEW_DEADLINE = "leader-elect-renew-deadline";
  public static final String RETRY_PERIOD = "leader-elect-retry-period";
  public static final String HEALTH_ADDRESS = "health-addr";
  public static final String DIAGNOSTICS_ADDRESS = "diagnostics-address";
  public static final String INSECURE_DIAGNOSTICS = "insecure-diagnostics";

  private record Flag(String name, String defaultValue, boolean toggle, String help) {}

  private final String program;
  private final Map<String, Flag> flags = new LinkedHashMap<>();

  private ManagerFlags(String program) {
    this.program = program;
  }

  /** The flags every provider manager has; {@code leaseName} and {@code concurrency} are the provider's defaults. */
  public static ManagerFlags forManager(String program, String leaseName, int concurrency) {
    return new ManagerFlags(program)
        .option(NAMESPACE, "", "watch only this namespace (default: all namespaces)")
        .option(CONCURRENCY, Integer.toString(concurrency), "objects of each kind reconciled at once")
        .toggle(LEADER_ELECT, "elect a leader before reconciling, so that replicas can stand by")
        .option(LEADER_ELECTION_ID, leaseName, "name of the Lease the replicas compete for")
        .option(LEADER_ELECTION_NAMESPACE, "",
            "namespace of the Lease (default: the pod's namespace, POD_NAMESPACE or the service account's)")
        .option(LEASE_DURATION, "15s", "how long followers wait before taking a lease that is not renewed")
        .option(RENEW_DEADLINE, "10s", "how long the leader keeps trying to renew before it gives up")
        .option(RETRY_PERIOD, "2s", "how often candidates try to acquire or renew the lease")
        .option(HEALTH_ADDRESS, ":9440", "address of /healthz and /readyz; 0 turns them off")
        .option(DIAGNOSTICS_ADDRESS, ":8443", "address of /metrics; 0 turns it off")
        .toggle(INSECURE_DIAGNOSTICS,
            "serve /metrics over HTTP without authentication (default: HTTPS, a bearer token allowed to GET /metrics)");
  }

  public ManagerFlags option(String name, String defaultValue, String help) {
    flags.put(name, new Flag(name, defaultValue, false, help));
    return this;
  }

  public ManagerFlags toggle(String name, String help) {
    flags.put(name, new Flag(name, "false", true, help));
    return this;
  }

  public Parsed parse(String... args) {
    Map<String, String> values = new LinkedHashMap<>();
    flags.values().forEach(f -> values.put(f.name(), f.defaultValue()));
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || arg.length() == 2) throw new UsageException("unexpected argument " + arg);
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
      Flag flag = flags.get(name);
      if (flag == null) throw new UsageException("unknown flag --" + name);
      String value;
      if (eq >= 0) {
        value = arg.substring(eq + 1);
      } else if (flag.toggle()) {
        value = "true";
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new UsageException("flag needs an argument: --" + name);
      }
      if (flag.toggle() && !value.equals("true") && !value.equals("false")) {
        throw new UsageException("--" + name + ": must be true or false, not \"" + value + "\"");
      }
      values.put(name, value);
    }
    return new Parsed(values);
  }

  /**
   * Parses a provider's command line, or prints what is wrong with it and the usage, and exits with 2 (as pflag's
   * programs do); {@code --help} prints the usage and exits with 0.
   */
  public Parsed parseOrExit(String... args) {
    if (java.util.Arrays.asList(args).contains("--help") || java.util.Arrays.asList(args).contains("-h")) {
      System.out.print(usage());
      System.exit(0);
    }
    try {
      Parsed parsed = parse(args);
      parsed.options();
      return parsed;
    } catch (UsageException e) {
      System.err.println(e.getMessage());
      System.err.print(usage());
      System.exit(2);
      throw e;
    }
  }

  public String usage() {
    StringBuilder out = new StringBuilder("Usage of " + program + ":\n");
    for (Flag f : flags.values()) {
      out.append("  --").append(f.name()).append(f.toggle() ? "" : " value").append("\n        ").append(f.help());
      if (!f.toggle() && !f.defaultValue().isEmpty()) out.append(" (default ").append(f.defaultValue()).append(')');
      out.append('\n');
    }
    return out.toString();
  }

  /** The values of one command line, defaults filled in. */
  public static final class Parsed {
    private final Map<String, String> values;

    private Parsed(Map<String, String> values) {
      this.values = values;
    }

    public String get(String name) {
      String value = values.get(name);
      if (value == null) throw new IllegalArgumentException("no flag --" + name + " was declared");
      return value;
    }

    public Optional<String> optional(String name) {
      return Optional.of(get(name)).filter(v -> !v.isEmpty());
    }

    public boolean toggle(String name) {
      return Boolean.parseBoolean(get(name));
    }

    public int positiveInt(String name) {
      try {
        int value = Integer.parseInt(get(name));
        if (value > 0) return value;
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new UsageException("--" + name + ": must be a whole number above 0, not \"" + get(name) + "\"");
    }

    /** The manager flags as options; a {@link UsageException} names a flag whose value cannot be used. */
    public ManagerOptions options() {
      return ManagerOptions.from(this);
    }

    public List<String> names() {
      return new ArrayList<>(values.keySet());
    }
  }

  /** A command line the provider cannot run with; the message names the flag. */
  public static final class UsageException extends IllegalArgumentException {
    public UsageException(String message) {
      super(message);
    }
  }
}
