using System.Collections.Immutable;
using CollectorCluster.Core.Planning;
using CollectorCluster.Core.State;

namespace CollectorCluster.Core.Tests.Planning;

/// <summary>Compact builders for listings, states and options, so planner tables read as data.</summary>
internal static class PlanFixtures
{
    public static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Listing from "uidl:size" specs numbered 1..n; "-" as the UIDL means none.</summary>
    public static ListedMessage[] Listing(params string[] specs) =>
        specs.Select((s, i) =>
        {
            var parts = s.Split(':');
            var uidl = parts[0] == "-" ? null : parts[0];
            var size = parts.Length > 1 ? long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : 100;
            return new ListedMessage(i + 1, uidl, size);
        }).ToArray();

    /// <summary>State holding the given UIDLs, each first seen <paramref name="age"/> before <see cref="Now"/>.</summary>
    public static AccountState Collected(TimeSpan age, params string[] uidls) => Collected(uidls.Select(u => (u, Now - age)).ToArray());

    public static AccountState Collected(params string[] uidls) => Collected(TimeSpan.FromHours(1), uidls);

    public static AccountState Collected(params (string Uidl, DateTimeOffset FirstSeen)[] items)
    {
        var b = ImmutableDictionary.CreateBuilder<string, CollectedMessage>(StringComparer.Ordinal);
        foreach (var (uidl, firstSeen) in items)
        {
            b[uidl] = new CollectedMessage(uidl, 100, firstSeen, firstSeen);
        }

        return AccountState.Empty with { Collected = b.ToImmutable() };
    }

    public static CollectionOptions Leave(int? days = null, bool smallestFirst = false) => new(true, days, smallestFirst, true);

    public static CollectionOptions DeleteMode(bool smallestFirst = false) => new(false, null, smallestFirst, true);

    public static int[] Numbers(IEnumerable<ListedMessage> messages) => messages.Select(m => m.Number).ToArray();

    public static int[] Numbers(IEnumerable<PlannedDeletion> deletions) => deletions.Select(d => d.Message.Number).ToArray();
}
