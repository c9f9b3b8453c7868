using HealthBlock.Doctor.Export;
using HealthBlock.Fhir;
using HealthBlock.Gateway;
using HealthBlock.Ledger;
using HealthBlock.Storage;

namespace HealthBlock.Devnet;

/// <summary>
/// Exports every devnet patient's readings and diagnoses as a FHIR R4 Bundle (<c>--fhir DIR</c>), as
/// <c>healthblock patient export</c> does on a gateway's data folder: decrypted with the patient's own keys.
/// </summary>
internal static class DevnetFhirExport
{
    /// <summary>Writes <c>patient-N.json</c> per gateway into <paramref name="folder"/>; returns the files and what was skipped.</summary>
    public static async Task<(List<string> Files, List<string> Skipped)> WriteAsync(IReadOnlyList<GatewayService> gateways, ILedgerReader ledger, IContentStore store, string folder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var files = new List<string>();
        var skipped = new List<string>();
        for (var i = 0; i < gateways.Count; i++)
        {
            var keys = gateways[i].Keys;
            var diagnosisKeys = keys.Doctors().ToDictionary(d => d.Id, d => d.DiagnosisKey);
            var reader = new FhirInputReader(ledger, store);
            var input = await reader.ReadAsync(
                keys.Patient,
                null,
                [],
                e => keys.Epoch(e)?.IotKey,
                d => diagnosisKeys.GetValueOrDefault(d),
                0,
                DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1,
                cancellationToken).ConfigureAwait(false);
            var file = Path.Combine(folder, $"patient-{i + 1}.json");
            using (var output = new FileStream(file, FileMode.Create, FileAccess.Write))
            {
                FhirExporter.Write(input, output);
            }

            files.Add(file);
            skipped.AddRange(reader.Skipped.Select(s => $"patient-{i + 1}: {s}"));
        }

        return (files, skipped);
    }
}
