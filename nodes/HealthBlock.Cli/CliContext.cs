using HealthBlock.Ledger;

namespace HealthBlock.Cli;

/// <summary>Where a command writes and reads its environment; tests give their own.</summary>
/// <param name="Out">Standard output.</param>
/// <param name="Error">Standard error.</param>
/// <param name="Environment">Reads an environment variable.</param>
/// <param name="ReadSecret">Prompts for a secret without echo; null when there is no terminal.</param>
internal sealed record CliContext(TextWriter Out, TextWriter Error, Func<string, string?> Environment, Func<string, string?>? ReadSecret)
{
    /// <summary>
    /// Opens the ledger a <c>--ledger</c> URL names, for commands that take any <see cref="ILedger"/>; null (a real
    /// process) connects an HTTP <see cref="LedgerClient"/>. Tests that are not about HTTP give an in-memory ledger.
    /// </summary>
    public Func<Uri, ILedger>? OpenLedger { get; init; }

    /// <summary>The context of a real process.</summary>
    public static CliContext Console() => new(
        System.Console.Out,
        System.Console.Error,
        System.Environment.GetEnvironmentVariable,
        System.Console.IsInputRedirected ? null : PromptSecret);

    private static string? PromptSecret(string prompt)
    {
        System.Console.Error.Write(prompt);
        var chars = new List<char>();
        while (true)
        {
            var key = System.Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (chars.Count > 0)
                {
                    chars.RemoveAt(chars.Count - 1);
                }

                continue;
            }

            chars.Add(key.KeyChar);
        }

        System.Console.Error.WriteLine();
        return new string([.. chars]);
    }
}

/// <summary>Exit codes every command uses.</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>A check failed (audit, verify).</summary>
    public const int CheckFailed = 1;

    /// <summary>Invalid input or usage; a one-line reason is on stderr.</summary>
    public const int InvalidInput = 2;
}

/// <summary>An error that a command reports as one line on stderr with exit code 2.</summary>
internal sealed class CliException : Exception
{
    public CliException(string message)
        : base(message)
    {
    }

    public CliException()
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
