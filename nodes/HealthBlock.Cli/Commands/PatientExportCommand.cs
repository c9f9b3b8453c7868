using System.CommandLine;
using System.Globalization;
using HealthBlock.Doctor.Export;
using HealthBlock.Fhir;
using HealthBlock.Gateway.Keys;
using HealthBlock.Gateway.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthBlock.Cli.Commands;

/// <summary>
/// <c>healthblock patient export --fhir OUT.json</c>: the patient's readings and diagnoses as a FHIR R4 Bundle,
/// decrypted locally with the keys of the gateway's data folder.
/// </summary>
internal static class PatientExportCommand
{
    public static Command Create(CliContext context)
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "The gateway's data folder", Required = true };
        var ledger = EndpointOptions.Ledger();
        var store = EndpointOptions.Store();
        var fhir = new Option<FileInfo>("--fhir") { Description = "Write the FHIR R4 Bundle (JSON) here", Required = true };
        var window = ExportWindow.Options();
        var name = new Option<string?>("--name") { Description = "Put this name on the Patient resource (default: none, the export stays pseudonymous)" };
        var key = new Option<string?>("--key") { Description = $"Patient key file (default DATA/{PatientIdentity.DefaultFileName})" };
        var passphraseFile = new Option<FileInfo?>("--passphrase-file") { Description = "Read the key passphrase from this file (else $HEALTHBLOCK_PASSPHRASE)" };
        var command = new Command("export", "Export the patient's readings and diagnoses as a FHIR R4 Bundle, decrypted locally")
        {
            data, ledger, store, fhir, window.From, window.To, name, key, passphraseFile,
        };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(context, async () =>
        {
            var (fromMs, toMs) = window.Read(parse);
            var folder = parse.GetValue(data)!.FullName;
            using var patient = PatientIdentity.Open(context, folder, parse.GetValue(key), parse.GetValue(passphraseFile)?.FullName, create: false);
            using var client = Connections.Ledger(parse.GetValue(ledger), patient);
            var contentStore = Connections.Store(parse.GetValue(store));
            try
            {
                Dictionary<Crypto.IdentityId, byte[]> diagnosisKeys;
                Dictionary<uint, byte[]> iotKeys;
                var network = (await client.GetGenesisAsync(ct)).NetworkId;
                using (var database = GatewayStore.Open(folder))
                {
                    var submitter = new HealthBlock.Ledger.LedgerSubmitter(patient, network, new StoreNonceCounter(database), client);
                    var manager = new PatientKeyManager(database, SecretSealer.Open(database, patient), submitter, client, NullLogger.Instance);
                    diagnosisKeys = manager.Doctors().ToDictionary(d => d.Id, d => d.DiagnosisKey);
                    iotKeys = [];
                    for (var epoch = manager.CurrentEpoch()?.Epoch ?? 0; epoch > 0; epoch--)
                    {
                        if (manager.Epoch(epoch) is { } k)
                        {
                            iotKeys[epoch] = k.IotKey;
                        }
                    }
                }

                var reader = new FhirInputReader(client, contentStore);
                var input = await reader.ReadAsync(patient.Id, parse.GetValue(name), [], e => iotKeys.GetValueOrDefault(e), d => diagnosisKeys.GetValueOrDefault(d), fromMs, toMs, ct);
                await ExportWindow.WriteAsync(context, input, parse.GetValue(fhir)!, reader.Skipped, ct);
            }
            finally
            {
                (contentStore as IDisposable)?.Dispose();
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}

/// <summary>The <c>--from</c>/<c>--to</c> window and the writing of an export, shared by the patient and doctor exports.</summary>
internal sealed record ExportWindow(Option<string?> From, Option<string?> To)
{
    public static ExportWindow Options() => new(
        new Option<string?>("--from") { Description = "Start of the window (ISO 8601, e.g. 2026-12-01T00:00:00Z; default: the beginning)" },
        new Option<string?>("--to") { Description = "End of the window, exclusive (ISO 8601; default: now)" });

    public (long FromMs, long ToMs) Read(ParseResult parse)
    {
        var from = parse.GetValue(From) is { } f ? Parse(f, "--from") : 0;
        var to = parse.GetValue(To) is { } t ? Parse(t, "--to") : DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1;
        return from < to ? (from, to) : throw new CliException("--from must be before --to");
    }

    public static async Task WriteAsync(CliContext context, FhirExportInput input, FileInfo file, IReadOnlyList<string> skipped, CancellationToken cancellationToken)
    {
        foreach (var s in skipped)
        {
            await context.Error.WriteLineAsync($"healthblock: skipped {s}");
        }

        try
        {
            await using var output = new FileStream(file.FullName, FileMode.Create, FileAccess.Write);
            FhirExporter.Write(input, output);
        }
        catch (FhirExportException e)
        {
            File.Delete(file.FullName);
            throw new CliException($"cannot export: {e.Message}");
        }

        await context.Out.WriteLineAsync($"{file.FullName}: {input.Readings.Count} IoT batch(es), {input.Diagnoses.Count} diagnosis(es), {skipped.Count} skipped");
    }

    private static long Parse(string text, string option) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t.ToUnixTimeMilliseconds()
            : throw new CliException($"{option} '{text}' is not an ISO 8601 time");
}
