using Hl7.Fhir.Model;

namespace HealthBlock.Fhir;

/// <summary>
/// Exports a patient's readings and diagnoses as a FHIR R4 <c>Bundle</c> of type <c>collection</c> (mapping in
/// <c>docs/fhir.md</c>). The same input always gives the same bytes: resource ids and full URLs are version 5 UUIDs
/// of the data they hold, entries have a fixed order, and the timestamp is the newest block time.
/// </summary>
public static class FhirExporter
{
    /// <summary>The bundle as Firely SDK objects (for callers that want to inspect or extend it).</summary>
    /// <param name="input">What to export.</param>
    /// <param name="options">Settings, or null for the defaults.</param>
    /// <returns>The bundle.</returns>
    /// <exception cref="FhirExportException">The input cannot be mapped (the message says which record and why).</exception>
    public static Bundle Build(FhirExportInput input, FhirExportOptions? options = null)
    {
        options ??= new FhirExportOptions();
        var plan = ExportPlan.Create(input, options);
        var entries = new Bundle.EntryComponent[plan.Entries.Count];
        Parallel.For(0, entries.Length, new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelism }, i => entries[i] = plan.Entries[i].ToEntry());
        var bundle = BundleWriter.Header(plan);
        bundle.Entry = [.. entries];
        return bundle;
    }

    /// <summary>
    /// Writes the bundle as compact FHIR JSON (UTF-8) to <paramref name="output"/>: the bytes the Firely serializer
    /// gives for <see cref="Build"/>'s bundle, written as they are made so that a day of ECG need not be held twice.
    /// </summary>
    /// <param name="input">What to export.</param>
    /// <param name="output">Where to write; left open.</param>
    /// <param name="options">Settings, or null for the defaults.</param>
    /// <exception cref="FhirExportException">The input cannot be mapped (nothing has been written then).</exception>
    public static void Write(FhirExportInput input, Stream output, FhirExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        options ??= new FhirExportOptions();
        BundleWriter.Write(ExportPlan.Create(input, options), output, options.MaxParallelism);
    }

    /// <summary>The bundle as compact FHIR JSON (UTF-8) in memory.</summary>
    /// <param name="input">What to export.</param>
    /// <param name="options">Settings, or null for the defaults.</param>
    /// <returns>The JSON bytes.</returns>
    /// <exception cref="FhirExportException">The input cannot be mapped.</exception>
    public static byte[] ToUtf8Json(FhirExportInput input, FhirExportOptions? options = null)
    {
        using var buffer = new MemoryStream();
        Write(input, buffer, options);
        return buffer.ToArray();
    }
}
