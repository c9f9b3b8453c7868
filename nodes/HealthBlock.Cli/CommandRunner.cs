using HealthBlock.Crypto;
using HealthBlock.Protocol;
using HealthBlock.Storage;

namespace HealthBlock.Cli;

/// <summary>Runs a command body and turns our own errors into one line on stderr and exit code 2.</summary>
internal static class CommandRunner
{
    public static int Run(CliContext context, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (IsOurs(e))
        {
            context.Error.WriteLine($"healthblock: {OneLine(e.Message)}");
            return ExitCodes.InvalidInput;
        }
    }

    public static async Task<int> RunAsync(CliContext context, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (Exception e) when (IsOurs(e))
        {
            await context.Error.WriteLineAsync($"healthblock: {OneLine(e.Message)}");
            return ExitCodes.InvalidInput;
        }
    }

    /// <summary>
    /// The failures a command reports as one line: its own, bad input, a start-up failure (an address or data folder in
    /// use, a key not in the genesis), an unreachable ledger or store.
    /// </summary>
    private static bool IsOurs(Exception e) =>
        e is CliException or ProtocolException or CryptoException or IOException or UnauthorizedAccessException or StoreException or HttpRequestException
            or HealthBlock.Ledger.LedgerRejectedException or HealthBlock.Hosting.StartupFailedException or HealthBlock.Hosting.DataFolderInUseException;

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
