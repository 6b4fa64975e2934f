using System.Text;

namespace CollectorCluster.Testing.Network;

/// <summary>
/// Cuts a byte stream that arrives in chunks into lines (CRLF or LF, line end dropped, bytes as Latin-1), keeping a
/// partial last line for the next chunk: how relays and recorders see a line protocol go by.
/// </summary>
public sealed class LineSplitter
{
    private readonly StringBuilder partial = new();

    /// <summary>The lines completed by <paramref name="chunk"/>.</summary>
    public List<string> Take(ReadOnlySpan<byte> chunk)
    {
        var lines = new List<string>();
        foreach (var b in chunk)
        {
            if (b == (byte)'\n')
            {
                lines.Add(partial.ToString().TrimEnd('\r'));
                partial.Clear();
            }
            else
            {
                partial.Append((char)b);
            }
        }

        return lines;
    }
}
