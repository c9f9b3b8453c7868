using System.CommandLine;
using HealthBlock.Gateway.Admin;
using HealthBlock.Ledger;

namespace HealthBlock.Cli.Commands;

/// <summary>
/// Reaches a gateway's admin operations for the <c>gateway</c> and <c>patient</c> commands: through the running
/// gateway's signed admin endpoint when it runs (its data folder is locked), else on its store directly, with
/// <c>--ledger</c> when the operation needs the ledger.
/// </summary>
internal static class GatewayAdminAccess
{
    public static Task<int> RunAsync(
        CliContext context,
        ParseResult parse,
        Option<DirectoryInfo> data,
        Option<string?> key,
        Option<FileInfo?> passphraseFile,
        Option<string?>? ledger,
        Func<IGatewayAdmin, Task> body) => CommandRunner.RunAsync(context, async () =>
        {
            var folder = parse.GetValue(data)!.FullName;
            using var patient = PatientIdentity.Open(context, folder, parse.GetValue(key), parse.GetValue(passphraseFile)?.FullName, create: false);
            var url = ledger is null ? null : parse.GetValue(ledger);
            using var connection = url is null ? null : Connections.Ledger(context, [url], patient);
            try
            {
                await using var session = GatewayAdminSession.Open(folder, patient, connection?.Ledger);
                await body(session.Admin);
            }
            catch (GatewayAdminException e)
            {
                throw new CliException(e.Message);
            }

            return ExitCodes.Ok;
        });

    /// <summary>The <c>--ledger</c> option: needed only while the gateway is stopped.</summary>
    public static Option<string?> LedgerOption() => new("--ledger")
    {
        Description = "URL of an accounting node (needed only while the gateway is stopped; a running gateway uses its own)",
    };
}
