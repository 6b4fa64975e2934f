namespace CollectorCluster.Core.Migration;

/// <summary>What a peer's file is read against: where it is (for messages and relative paths) and the home directory <c>~</c> stands for.</summary>
/// <param name="File">The file's path, as given.</param>
/// <param name="Home">The home directory of the user the peer ran as (for <c>~</c> and default state files).</param>
public sealed record ImportContext(string File, string Home)
{
    /// <summary>The file's directory.</summary>
    public string Directory => Path.GetDirectoryName(Path.GetFullPath(File)) ?? "/";

    /// <summary>A path as the peer means it: <c>~</c> and <c>~/</c> expanded, relative paths against <paramref name="relativeTo"/> (the file's directory by default).</summary>
    public string Expand(string path, string? relativeTo = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path == "~")
        {
            return Home;
        }

        if (path.StartsWith("~/", StringComparison.Ordinal))
        {
            return Path.Combine(Home, path[2..]);
        }

        return Path.IsPathRooted(path) ? path : Path.GetFullPath(path, relativeTo ?? Directory);
    }
}
