namespace CollectorCluster.Core.Migration;

/// <summary>One token of a run-control file.</summary>
/// <param name="Text">The token (a quoted string without its quotes, escapes resolved).</param>
/// <param name="Quoted">True for a quoted string, which is never a keyword.</param>
/// <param name="Line">The line it starts on (1-based).</param>
public sealed record RcToken(string Text, bool Quoted, int Line)
{
    /// <summary>True when this is the unquoted keyword <paramref name="keyword"/> (case-insensitive).</summary>
    public bool Is(string keyword) => !Quoted && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);
}
