using System.Text;

namespace CollectorCluster.Pop3.Tests.Replay;

/// <summary>
/// A POP3 conversation as text, one wire line per transcript line: <c>S: </c> what the server sent, <c>C: </c> what
/// the client sent, <c>#</c> comments, and <c>@lockstep on|off</c> around client lines the server refuses to see
/// pipelined. Recorded from a real server (<see cref="TranscriptRecorder"/>) or written from a server's documented
/// behaviour, and stored as text resources under Replay/Transcripts so a reviewer can read what is replayed.
/// </summary>
public sealed class Pop3Transcript
{
    private const string ResourcePrefix = "Transcripts.";

    private Pop3Transcript(string name, IReadOnlyList<TranscriptStep> steps)
    {
        Name = name;
        Steps = steps;
    }

    /// <summary>The transcript's name (its file name), for messages.</summary>
    public string Name { get; }

    /// <summary>The wire lines in order.</summary>
    public IReadOnlyList<TranscriptStep> Steps { get; }

    /// <summary>Loads an embedded transcript by file name, e.g. <c>dovecot-session.txt</c>.</summary>
    public static Pop3Transcript Load(string fileName)
    {
        var assembly = typeof(Pop3Transcript).Assembly;
        using var stream = assembly.GetManifestResourceStream(ResourcePrefix + fileName)
            ?? throw new FileNotFoundException($"No embedded transcript '{fileName}'; known: {string.Join(", ", assembly.GetManifestResourceNames())}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Parse(fileName, reader.ReadToEnd());
    }

    /// <summary>Parses transcript text; a line that is none of the forms above is an error naming its line.</summary>
    public static Pop3Transcript Parse(string name, string text)
    {
        var steps = new List<TranscriptStep>();
        var lockstep = false;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var number = i + 1;
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith('@'))
            {
                lockstep = line switch
                {
                    "@lockstep on" => true,
                    "@lockstep off" => false,
                    _ => throw new FormatException($"{name}:{number}: unknown directive '{line}' (only '@lockstep on|off')."),
                };
                continue;
            }

            steps.Add(line switch
            {
                _ when line == "S:" || line.StartsWith("S: ", StringComparison.Ordinal) => new TranscriptStep(false, Payload(line), number),
                _ when line == "C:" || line.StartsWith("C: ", StringComparison.Ordinal) => new TranscriptStep(true, Payload(line), number, lockstep),
                _ => throw new FormatException($"{name}:{number}: a transcript line starts with 'S: ', 'C: ', '#' or '@', not '{line}'."),
            });
        }

        return new Pop3Transcript(name, steps);
    }

    /// <summary>Writes <paramref name="steps"/> in the transcript form, after the comment lines of <paramref name="header"/>.</summary>
    public static string Render(IEnumerable<string> header, IEnumerable<TranscriptStep> steps)
    {
        var text = new StringBuilder();
        foreach (var comment in header)
        {
            text.Append("# ").Append(comment).Append('\n');
        }

        foreach (var step in steps)
        {
            // An empty line is written "S:" (no trailing space an editor could strip).
            text.Append(step.FromClient ? "C:" : "S:").Append(step.Text.Length == 0 ? string.Empty : " " + step.Text).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>"S: text" gives "text"; "S:" alone is an empty line.</summary>
    private static string Payload(string line) => line.Length <= 3 ? string.Empty : line[3..];
}
