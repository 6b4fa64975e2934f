using Akka.Configuration;
using CollectorCluster.Core.Scheduling;
using static CollectorCluster.Node.Configuration.StrictSection;

namespace CollectorCluster.Node.Configuration;

/// <summary>Reads <c>collector.sleep</c> (idle accounts that sleep); a mistake names its key.</summary>
public static class AccountSleepReader
{
    private const string Section = "collector.sleep";
    private static readonly string[] Keys = ["idle-accounts", "min-idle", "wake-ahead"];

    /// <summary>Reads and validates the section; throws <see cref="ConfigurationException"/> naming the key.</summary>
    public static AccountSleep FromConfig(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Unknown(config, Section, Keys);
        var defaults = AccountSleep.Off;
        var sleep = new AccountSleep(
            Switch(config, Section + ".idle-accounts"),
            Duration(config, Section + ".min-idle", defaults.MinIdle),
            Duration(config, Section + ".wake-ahead", defaults.WakeAhead));
        if (sleep.MinIdle <= sleep.WakeAhead)
        {
            throw new ConfigurationException($"{Section}.min-idle: {sleep.MinIdle} must be longer than wake-ahead ({sleep.WakeAhead}), or the account would be woken before it fell asleep");
        }

        return sleep;
    }

    private static bool Switch(Config config, string key) => config.GetString(key, "off")?.Trim().ToLowerInvariant() switch
    {
        "on" or "true" or "yes" => true,
        "off" or "false" or "no" => false,
        var other => throw new ConfigurationException($"{key}: '{other}' is not on or off"),
    };
}
