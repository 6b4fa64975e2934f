using CollectorCluster.Node.Import;

namespace CollectorCluster.Node.Commands;

/// <summary>
/// <c>collector import fetchmailrc|getmailrc|mpoprc FILE... [--out accounts.hocon]</c>: writes our HOCON from the peer's
/// files, passwords to 0600 files (or left out), the peer's UIDL state as <c>imported-uidls</c> seeds, and lists
/// everything that did not carry over. Exit 0 when at least one account was written, 1 when none was, 2 on a usage
/// error or a file that cannot be read.
/// </summary>
public static class ImportCommand
{
    /// <summary>Runs the command with the arguments after <c>import</c>.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        ImportOptions options;
        try
        {
            options = ImportOptions.Parse(args, environment);
        }
        catch (ArgumentException e)
        {
            error.WriteLine(e.Message);
            error.WriteLine("usage: " + ImportOptions.Usage);
            return 2;
        }

        ImportReport report;
        try
        {
            report = PeerImport.Run(options, DateTimeOffset.UtcNow);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            error.WriteLine("collector import: " + e.Message);
            return 2;
        }

        // With the HOCON on standard output, the report goes to standard error so the two never mix.
        var log = options.Out is null ? error : output;
        if (options.Out is null && report.Accounts.Count > 0)
        {
            output.Write(report.Hocon);
        }

        var seeded = report.Accounts.Where(a => a.Seed is not null).ToList();
        log.WriteLine(report.Accounts.Count == 0
            ? "collector import: no account could be written"
            : $"collector import: {report.Accounts.Count} account(s) {(options.Out is null ? "written to standard output" : "written to " + Path.GetFullPath(options.Out))}"
                + $" ({string.Join(", ", report.Accounts.Select(a => a.Id))}); UIDLs taken over for {seeded.Count}; {report.Files.Count} file(s) beside it");
        if (report.Notes.Count > 0)
        {
            log.WriteLine($"not carried over ({report.Notes.Count}):");
            foreach (var note in report.Notes)
            {
                log.WriteLine("  " + note);
            }
        }

        return report.Accounts.Count > 0 ? 0 : 1;
    }
}
