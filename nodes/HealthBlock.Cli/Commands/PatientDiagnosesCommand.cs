using System.CommandLine;
using System.Globalization;
using HealthBlock.Doctor;
using HealthBlock.Gateway.Keys;
using HealthBlock.Gateway.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthBlock.Cli.Commands;

/// <summary>
/// <c>healthblock patient diagnoses</c>: reads and decrypts every diagnosis about the patient, with the diagnosis
/// keys of the gateway's doctors table.
/// </summary>
internal static class PatientDiagnosesCommand
{
    public static Command Create(CliContext context)
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "The gateway's data folder", Required = true };
        var ledger = EndpointOptions.Ledger();
        var store = EndpointOptions.Store();
        var key = new Option<string?>("--key") { Description = $"Patient key file (default DATA/{PatientIdentity.DefaultFileName})" };
        var passphraseFile = new Option<FileInfo?>("--passphrase-file") { Description = "Read the key passphrase from this file (else $HEALTHBLOCK_PASSPHRASE)" };
        var json = new Option<bool>("--json") { Description = "Print each decrypted document as one JSON line" };

        var command = new Command("diagnoses", "Read and decrypt every diagnosis about the patient (Docchain + content store)") { data, ledger, store, key, passphraseFile, json };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(context, async () =>
        {
            var folder = parse.GetValue(data)!.FullName;
            using var patient = PatientIdentity.Open(context, folder, parse.GetValue(key), parse.GetValue(passphraseFile)?.FullName, create: false);
            using var client = Connections.Ledger(parse.GetValue(ledger), patient);
            var contentStore = Connections.Store(parse.GetValue(store));
            try
            {
                Dictionary<Crypto.IdentityId, byte[]> keys;
                var network = (await client.GetGenesisAsync(ct)).NetworkId;
                using (var database = GatewayStore.Open(folder))
                {
                    var submitter = new HealthBlock.Ledger.LedgerSubmitter(patient, network, new StoreNonceCounter(database), client);
                    var manager = new PatientKeyManager(database, SecretSealer.Open(database, patient), submitter, client, NullLogger.Instance);
                    keys = manager.Doctors().ToDictionary(d => d.Id, d => d.DiagnosisKey);
                }

                var diagnoses = await PatientDiagnosisReader.ReadAsync(client, contentStore, patient.Id, id => keys.GetValueOrDefault(id), ct);
                var o = context.Out;
                foreach (var d in diagnoses)
                {
                    if (parse.GetValue(json))
                    {
                        await o.WriteLineAsync(d.Document?.ToJson() ?? $"{{\"transaction\":\"{d.TransactionId}\",\"error\":{System.Text.Json.JsonSerializer.Serialize(d.Error)}}}");
                        continue;
                    }

                    await o.WriteLineAsync($"diagnosis {d.TransactionId} at {d.Committed.Location} by doctor {d.Doctor}");
                    if (d.Document is not { } doc)
                    {
                        await o.WriteLineAsync($"  cannot read: {d.Error}");
                        continue;
                    }

                    await o.WriteLineAsync($"  {doc.Label}: {Time(doc.WindowStartMs)} .. {Time(doc.WindowEndMs)}, {doc.Covers.Count} IoT transaction(s){(doc.Follows is null ? "" : $", follows {doc.Follows}")}");
                    if (doc.ClinicianNote is { } note)
                    {
                        await o.WriteLineAsync($"  note: {note}");
                    }

                    foreach (var recording in doc.Ecg)
                    {
                        var rate = recording.HeartRate is { } hr ? hr.MeanHeartRateBpm.ToString("F0", CultureInfo.InvariantCulture) + " bpm" : "no rate";
                        await o.WriteLineAsync($"  ecg {recording.Device}: {recording.AnalysedSeconds.ToString("F1", CultureInfo.InvariantCulture)} s analysed, {recording.BeatCount} beats, {rate}");
                    }

                    foreach (var finding in doc.Analysis?.Findings ?? [])
                    {
                        await o.WriteLineAsync($"  [{finding.Severity}] {finding.Kind}: {finding.Text} ({finding.Algorithm} {finding.AlgorithmVersion})");
                    }

                    if (doc.Disclaimer is { } disclaimer)
                    {
                        await o.WriteLineAsync($"  {disclaimer}");
                    }
                }

                if (!parse.GetValue(json))
                {
                    await o.WriteLineAsync($"{diagnoses.Count} diagnosis(es), {diagnoses.Count(d => d.Document is null)} unreadable");
                }
            }
            finally
            {
                (contentStore as IDisposable)?.Dispose();
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
