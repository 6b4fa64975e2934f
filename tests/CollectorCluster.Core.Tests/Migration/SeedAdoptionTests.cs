using CollectorCluster.Core.Events;
using CollectorCluster.Core.Migration;
using CollectorCluster.Core.State;

namespace CollectorCluster.Core.Tests.Migration;

public sealed class SeedAdoptionTests
{
    private const string File = "/srv/collector/uidls/a.uidls";
    private static readonly string Seed = new UidlSeed("pop.example", "alice", "fetchmail /home/alice/.fetchids", ["u1", "u2"]).Format();

    /// <summary>Which case, whether an event follows, and a fragment of the warning (empty: none).</summary>
    public static TheoryData<string, bool, string> Cases => new()
    {
        { "no imported-uidls", false, "" },
        { "first start", true, "" },
        { "already taken over", false, "" },
        { "another mailbox's seed", false, "bob at pop.example" },
        { "unreadable", false, "No such file" },
        { "not a seed", false, "not an imported-uidls file" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_seed_is_taken_over_once_and_only_for_its_own_mailbox(string which, bool imports, string warning)
    {
        var account = AccountFixtures.Settings() with { ImportedUidls = which == "no imported-uidls" ? null : File };
        var state = which == "already taken over" ? AccountState.Empty.Apply(new UidlsImported(File, "x", ["u1"], AccountFixtures.Now)) : AccountState.Empty;
        string Read(string path) => which switch
        {
            "another mailbox's seed" => new UidlSeed("pop.example", "bob", "mpop", ["u9"]).Format(),
            "unreadable" => throw new FileNotFoundException($"No such file {path}"),
            "not a seed" => "u1\nu2\n",
            _ => Seed,
        };

        var (imported, warn) = SeedAdoption.Decide(state, account, Read, AccountFixtures.Now);
        Assert.Equal(imports, imported is not null);
        if (imported is not null)
        {
            Assert.Equal((File, "fetchmail /home/alice/.fetchids"), (imported.File, imported.Origin));
            Assert.Equal(["u1", "u2"], imported.Uidls);
        }

        if (warning.Length == 0)
        {
            Assert.Null(warn);
        }
        else
        {
            Assert.Contains(warning, warn, StringComparison.Ordinal);
            Assert.Contains(File, warn, StringComparison.Ordinal);
        }
    }
}
