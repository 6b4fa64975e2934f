using CollectorCluster.Node.Web;

namespace CollectorCluster.Node.Commands;

/// <summary>
/// <c>collector hash-password</c>: reads a web console password from standard input (one line; not echoed on a
/// terminal) and prints its hash for <c>collector.web.users</c>: <c>pbkdf2-sha256$600000$SALT$HASH</c>. The
/// password is never an argument (it would show in <c>ps</c> and the shell's history).
/// </summary>
public static class HashPasswordCommand
{
    /// <summary>The shortest password accepted.</summary>
    public const int MinLength = 12;

    /// <summary>Runs it; 0 with the hash on <paramref name="output"/>, 2 for a password too short or missing.</summary>
    public static int Run(TextReader input, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var password = ReferenceEquals(input, Console.In) && !Console.IsInputRedirected ? ReadHidden(error) : input.ReadLine();
        if (password is null || password.Length < MinLength)
        {
            error.WriteLine($"collector hash-password: give a password of at least {MinLength} characters on standard input");
            return 2;
        }

        output.WriteLine(PasswordHash.Create(password));
        return 0;
    }

    private static string ReadHidden(TextWriter prompt)
    {
        prompt.Write("password: ");
        var typed = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                prompt.WriteLine();
                return typed.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                typed.Length = Math.Max(0, typed.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                typed.Append(key.KeyChar);
            }
        }
    }
}
