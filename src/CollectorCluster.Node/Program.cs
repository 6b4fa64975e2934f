using CollectorCluster.Node.Commands;
using CollectorCluster.Node.Configuration;

namespace CollectorCluster.Node;

/// <summary>The <c>collector</c> executable: <c>run</c> (daemon), <c>once</c> (collect every account once), <c>check</c>, <c>import</c>, <c>hash-password</c>.</summary>
public static class Program
{
    private const string Usage = """
        usage: collector run  --config FILE   collect on schedule until stopped (Ctrl+C / SIGTERM)
               collector once --config FILE   collect every account once; exit 0 when all succeeded or were deferred
               collector check --config FILE  validate the configuration and print the accounts
               collector import fetchmailrc|getmailrc|mpoprc FILE... [--out accounts.hocon]
                                              write our accounts from fetchmail's, getmail's or mpop's files
               collector hash-password        read a web console password on stdin, print its hash for collector.web.users
        """;

    /// <summary>Entry point. Exit codes: 0 ok, 1 a collection failed, 2 usage or configuration error; <c>once</c> interrupted by SIGINT/SIGTERM: 130/143 (see <see cref="OnceCommand"/>).</summary>
    public static async Task<int> Main(string[] args)
    {
        if (args.Length < 1 || args[0] is "-h" or "--help" or "help")
        {
            Console.Out.WriteLine(Usage);
            return args.Length < 1 ? 2 : 0;
        }

        var verb = args[0];
        if (verb == "hash-password")
        {
            return HashPasswordCommand.Run(Console.In, Console.Out, Console.Error);
        }

        if (verb == "import")
        {
            return Commands.ImportCommand.Run(args[1..], Console.Out, Console.Error, Environment.GetEnvironmentVariable);
        }

        var configIndex = Array.IndexOf(args, "--config");
        if (verb is not ("run" or "once" or "check") || configIndex < 0 || configIndex + 1 >= args.Length)
        {
            Console.Error.WriteLine(verb is "run" or "once" or "check" ? $"collector {verb}: --config FILE is required" : $"collector: unknown command '{verb}'");
            Console.Error.WriteLine(Usage);
            return 2;
        }

        CollectorOptions options;
        try
        {
            options = CollectorConfigLoader.Load(args[configIndex + 1]);
        }
        catch (ConfigurationException e)
        {
            Console.Error.WriteLine("collector: " + e.Message);
            return 2;
        }

        using var cancel = new CancellationTokenSource();
        try
        {
            return verb switch
            {
                "run" => await RunCommand.RunAsync(options, cancel.Token),
                "once" => await RunOnceAsync(options, cancel.Token),
                _ => CheckCommand.Run(options, Console.Out),
            };
        }
        catch (ConfigurationException e)
        {
            Console.Error.WriteLine("collector: " + e.Message);
            return 2;
        }
    }

    /// <summary>
    /// <c>once</c> with standard output kept for its summary: from here on, whatever else writes to <see cref="Console.Out"/>
    /// (a library's stray line, late in a shutdown or from the CLR's exit hook) goes to standard error. Not restored: the
    /// process ends after this, and the exit hook runs after <c>Main</c> returns.
    /// </summary>
    private static Task<int> RunOnceAsync(CollectorOptions options, CancellationToken cancellationToken)
    {
        var summary = Console.Out;
        Console.SetOut(Console.Error);
        return OnceCommand.RunAsync(options, summary, cancellationToken);
    }
}
