using CollectorCluster.Testing;

namespace CollectorCluster.ClusterTests;

/// <summary>The Maildir every node of a cluster test delivers into: what arrived, and how often each message did.</summary>
public static class SharedMaildir
{
    /// <summary>Files delivered (new/ and cur/).</summary>
    public static int CountDelivered(string maildir) =>
        Files(maildir).Count();

    /// <summary>How many files carry each Message-ID ("(none)" for those without).</summary>
    public static Dictionary<string, int> DeliveredMessageIds(string maildir)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var file in Files(maildir))
        {
            var id = MessageHeaders.MessageIdOf(File.ReadAllBytes(file)) ?? "(none)";
            counts[id] = counts.GetValueOrDefault(id) + 1;
        }

        return counts;
    }

    private static IEnumerable<string> Files(string maildir) =>
        new[] { "new", "cur" }.Select(d => Path.Combine(maildir, d)).Where(Directory.Exists).SelectMany(Directory.EnumerateFiles);
}
