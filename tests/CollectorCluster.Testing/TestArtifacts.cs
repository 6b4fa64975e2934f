using System.Globalization;

namespace CollectorCluster.Testing;

/// <summary>
/// What the suite keeps for the secrets scan after it (<c>scripts/test.sh</c> sets <c>CC_SECRETS_SCAN_DIR</c>; without
/// it nothing is kept): the command line and output of every process the tests start (what <c>ps</c> shows and
/// every log a node wrote), and, from a test's directory before it is deleted, the journals (SQLite file and WAL),
/// collectorctl history files and the environments MDA test programs dumped (<c>*.env</c>). Secret stores a test
/// writes on purpose (node files, password and token files, node keys) are not kept: they are supposed to hold secrets.
/// </summary>
public static class TestArtifacts
{
    /// <summary>The environment variable naming the directory.</summary>
    public const string Variable = "CC_SECRETS_SCAN_DIR";

    private static readonly string[] KeptNames = ["journal.db", "journal.db-wal", "ctl_history"];

    /// <summary>The directory, or null when nothing is kept.</summary>
    public static string? Directory => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } directory ? directory : null;

    /// <summary>Keeps <paramref name="text"/> under <paramref name="category"/> (a process's command line and output).</summary>
    public static void Record(string category, string text)
    {
        if (Directory is not { } root)
        {
            return;
        }

        try
        {
            var directory = System.IO.Directory.CreateDirectory(Path.Combine(root, category)).FullName;
            File.WriteAllText(Path.Combine(directory, $"{DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}.txt"), text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The scan then misses this one; never a reason to fail a test.
        }
    }

    /// <summary>Copies the journals, histories and MDA environment dumps below <paramref name="testDirectory"/> before the test deletes it.</summary>
    public static void KeepFrom(string testDirectory)
    {
        if (Directory is not { } root || !System.IO.Directory.Exists(testDirectory))
        {
            return;
        }

        try
        {
            var target = Path.Combine(root, "files", Path.GetFileName(testDirectory.TrimEnd('/')) + "-" + Guid.NewGuid().ToString("N")[..8]);
            foreach (var file in System.IO.Directory.EnumerateFiles(testDirectory, "*", SearchOption.AllDirectories))
            {
                var name = Path.GetFileName(file);
                if (KeptNames.Contains(name, StringComparer.Ordinal) || name.EndsWith(".env", StringComparison.Ordinal))
                {
                    var copy = Path.Combine(target, Path.GetRelativePath(testDirectory, file));
                    System.IO.Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                    File.Copy(file, copy, overwrite: true);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // As above.
        }
    }
}
