namespace CollectorCluster.Node.Configuration;

/// <summary>
/// Checks that braces and brackets in a HOCON text pair up, outside strings and comments. Akka's HOCON parser
/// can loop forever on some unbalanced input (e.g. <c>accounts = [ } ]</c>), so this runs first and names the line.
/// </summary>
public static class HoconStructureCheck
{
    /// <summary>Returns null when balanced, otherwise what is wrong and on which line.</summary>
    public static string? FindProblem(string text)
    {
        var open = new Stack<(char Bracket, int Line)>();
        var line = 1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\n':
                    line++;
                    break;
                case '#':
                case '/' when i + 1 < text.Length && text[i + 1] == '/':
                    while (i + 1 < text.Length && text[i + 1] != '\n')
                    {
                        i++;
                    }

                    break;
                case '"':
                    var triple = i + 2 < text.Length && text[i + 1] == '"' && text[i + 2] == '"';
                    if (triple)
                    {
                        var end = text.IndexOf("\"\"\"", i + 3, StringComparison.Ordinal);
                        if (end < 0)
                        {
                            return $"line {line}: unterminated \"\"\" string";
                        }

                        line += text.AsSpan(i, end - i).Count('\n');
                        i = end + 2;
                        break;
                    }

                    i++;
                    while (i < text.Length && text[i] != '"' && text[i] != '\n')
                    {
                        i += text[i] == '\\' ? 2 : 1;
                    }

                    if (i >= text.Length || text[i] == '\n')
                    {
                        return $"line {line}: unterminated string";
                    }

                    break;
                case '{':
                case '[':
                    open.Push((c, line));
                    break;
                case '}':
                case ']':
                    var expected = c == '}' ? '{' : '[';
                    if (open.Count == 0)
                    {
                        return $"line {line}: '{c}' without a matching '{expected}'";
                    }

                    var top = open.Pop();
                    if (top.Bracket != expected)
                    {
                        return $"line {line}: '{c}' closes the '{top.Bracket}' opened on line {top.Line}";
                    }

                    break;
            }
        }

        return open.Count == 0 ? null : $"line {open.Peek().Line}: '{open.Peek().Bracket}' is never closed";
    }
}
