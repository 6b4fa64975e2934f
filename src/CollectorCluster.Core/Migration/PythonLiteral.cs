using System.Text;

namespace CollectorCluster.Core.Migration;

/// <summary>
/// Reads the Python literals getmail's rc files use for tuples: <c>("a", 'b', r'c\d')</c> and tuples of pairs
/// <c>(('re', '[dest]'), ...)</c>. Only strings and nested tuples; never evaluates anything.
/// </summary>
public static class PythonLiteral
{
    /// <summary>A tuple of strings; null when <paramref name="text"/> is not one.</summary>
    public static IReadOnlyList<string>? Strings(string text)
    {
        var value = Read(text);
        return value is List<object> items && items.All(i => i is string) ? items.Cast<string>().ToList() : null;
    }

    /// <summary>A tuple of 2-tuples of strings; null when <paramref name="text"/> is not one.</summary>
    public static IReadOnlyList<(string First, string Second)>? Pairs(string text)
    {
        var value = Read(text);
        if (value is not List<object> items)
        {
            return null;
        }

        var pairs = new List<(string, string)>();
        foreach (var item in items)
        {
            if (item is not List<object> { Count: 2 } pair || pair[0] is not string first || pair[1] is not string second)
            {
                return null;
            }

            pairs.Add((first, second));
        }

        return pairs;
    }

    private static object? Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var i = 0;
        try
        {
            var value = Value(text, ref i);
            Skip(text, ref i);
            return i == text.Length ? value : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static object Value(string text, ref int i)
    {
        Skip(text, ref i);
        if (i >= text.Length)
        {
            throw new FormatException("end of text");
        }

        if (text[i] == '(')
        {
            i++;
            var items = new List<object>();
            while (true)
            {
                Skip(text, ref i);
                if (i < text.Length && text[i] == ')')
                {
                    i++;
                    return items;
                }

                items.Add(Value(text, ref i));
                Skip(text, ref i);
                if (i < text.Length && text[i] == ',')
                {
                    i++;
                }
                else if (i >= text.Length || text[i] != ')')
                {
                    throw new FormatException("expected , or )");
                }
            }
        }

        var raw = false;
        if (text[i] is 'r' or 'R' && i + 1 < text.Length && text[i + 1] is '"' or '\'')
        {
            raw = true;
            i++;
        }

        if (text[i] is not ('"' or '\''))
        {
            throw new FormatException("expected a string or a tuple");
        }

        var quote = text[i++];
        var value = new StringBuilder();
        while (i < text.Length && text[i] != quote)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                var next = text[i + 1];
                i += 2;
                // Python keeps the backslash of an escape it does not know ('\.' is two characters), and of every escape in r'...'.
                value.Append(raw ? "\\" + next : next switch { 'n' => "\n", 't' => "\t", 'r' => "\r", '\\' or '\'' or '"' => next.ToString(), _ => "\\" + next });
                continue;
            }

            value.Append(text[i++]);
        }

        if (i >= text.Length)
        {
            throw new FormatException("unterminated string");
        }

        i++;
        return value.ToString();
    }

    private static void Skip(string text, ref int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }
    }
}
