using System.Diagnostics;
using System.Text.RegularExpressions;

namespace CollectorCluster.ClusterTests;

/// <summary>
/// Which node hosts which account, read live from the nodes' logs: an account is where it last logged its first
/// schedule ("Account X: next collection at") or a finished session ("Account X (...): collected"). Times are the
/// test process's clock at reception, so lines of different nodes compare.
/// </summary>
public sealed partial class AccountLocator
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, Sighting> latest = new(StringComparer.Ordinal);
    private readonly List<Sighting> sightings = [];

    /// <summary>The clock every sighting is stamped with.</summary>
    public Stopwatch Clock { get; } = Stopwatch.StartNew();

    /// <summary>Reads one log line of <paramref name="node"/>.</summary>
    public void Observe(string node, string line)
    {
        var match = AccountLine().Match(line);
        if (!match.Success)
        {
            return;
        }

        var sighting = new Sighting(match.Groups["id"].Value, node, Clock.Elapsed, match.Groups["collected"].Success);
        lock (gate)
        {
            latest[sighting.AccountId] = sighting;
            sightings.Add(sighting);
        }
    }

    /// <summary>Accounts per node, as last seen.</summary>
    public IReadOnlyDictionary<string, int> Spread()
    {
        lock (gate)
        {
            return latest.Values.GroupBy(s => s.Node).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        }
    }

    /// <summary>The accounts last seen on <paramref name="node"/>.</summary>
    public IReadOnlySet<string> AccountsOn(string node)
    {
        lock (gate)
        {
            return latest.Values.Where(s => s.Node == node).Select(s => s.AccountId).ToHashSet(StringComparer.Ordinal);
        }
    }

    /// <summary>Accounts seen anywhere.</summary>
    public int Known
    {
        get
        {
            lock (gate)
            {
                return latest.Count;
            }
        }
    }

    /// <summary>
    /// For each of <paramref name="accounts"/>, the first sighting after <paramref name="since"/> on a node other than
    /// <paramref name="excludedNode"/>: a finished session when <paramref name="collectedOnly"/>, else also a (re)start.
    /// </summary>
    public IReadOnlyDictionary<string, TimeSpan> FirstAfter(TimeSpan since, IEnumerable<string> accounts, string? excludedNode, bool collectedOnly)
    {
        var wanted = accounts.ToHashSet(StringComparer.Ordinal);
        var found = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        lock (gate)
        {
            foreach (var c in sightings)
            {
                if ((c.Collected || !collectedOnly) && c.At > since && c.Node != excludedNode && wanted.Contains(c.AccountId) && !found.ContainsKey(c.AccountId))
                {
                    found[c.AccountId] = c.At;
                }
            }
        }

        return found;
    }

    [GeneratedRegex(@"Account (?<id>[A-Za-z0-9][A-Za-z0-9._-]*)(?:: next collection at| \([^)]*\): (?<collected>collected))")]
    private static partial Regex AccountLine();

    private sealed record Sighting(string AccountId, string Node, TimeSpan At, bool Collected);
}
