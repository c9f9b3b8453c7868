using System.Diagnostics;
using System.Text;
using System.Text.Json;
using HealthBlock.Crypto;
using HealthBlock.Doctor;
using HealthBlock.Protocol;

namespace HealthBlock.Fuzz.Tests;

/// <summary>
/// Inputs the fuzzer found crashing or hanging decoders owned by other parts, pinned as regression tests. Each test
/// states the behaviour the decoder documents. All three failed when found and pass since dece595 ("Fix three decoder
/// crashes the fuzzer found"). A new finding goes here first as a failing test (and, while it is open, into
/// bench/HealthBlock.Fuzzing/KnownIssues.cs so that the CI fuzz runs report only new crashes).
/// </summary>
public sealed class FuzzRegressionTests : IDisposable
{
    private readonly HealthBlockTargets _targets = new();

    public void Dispose() => _targets.Dispose();

    /// <summary>
    /// Found by diagnosis.fromjson and diagnosis.open-plaintext: <c>{"format": null, …}</c> made
    /// <c>DiagnosisDocument.FromJson</c> throw NullReferenceException at <c>document.Format.StartsWith</c>; it documents
    /// JsonException. The patient's reader catches only Store/Crypto/Protocol exceptions, so a document sealed this way
    /// by an authorised doctor stopped the patient from listing any diagnosis.
    /// </summary>
    [Fact]
    [Trait("Category", "FuzzRegression")]
    public void Fuzz_crash_diagnosis_null_format__FromJson_refuses_a_null_format_with_JsonException()
    {
        var json = Encoding.UTF8.GetBytes(Document().Replace("\"format\":\"healthblock-diagnosis/1\"", "\"format\":null", StringComparison.Ordinal));
        Assert.Contains("\"format\":null", Encoding.UTF8.GetString(json), StringComparison.Ordinal);

        var e = Record.Exception(() => DiagnosisDocument.FromJson(json));

        Assert.IsType<JsonException>(e, exactMatch: false);
    }

    /// <summary>
    /// Found by diagnosis.open-plaintext: a sealed document with <c>"covers": null</c> made
    /// <c>SealedDiagnosis.Open(sealed, key, transaction)</c> throw ArgumentNullException from <c>Enumerable.Order</c>; it
    /// documents CryptoException and ProtocolException. Same consequence for the patient's reader as above.
    /// </summary>
    [Fact]
    [Trait("Category", "FuzzRegression")]
    public void Fuzz_crash_diagnosis_null_covers__Open_refuses_null_covers_with_ProtocolException()
    {
        var json = Encoding.UTF8.GetBytes(Document().Replace($"\"covers\":[\"{new string('a', 64)}\"]", "\"covers\":null", StringComparison.Ordinal));
        Assert.Contains("\"covers\":null", Encoding.UTF8.GetString(json), StringComparison.Ordinal);

        var e = Record.Exception(() => _targets.OpenDocumentForPatient(json));

        Assert.IsType<ProtocolException>(e);
    }

    /// <summary>
    /// Found by keyfile.import: <c>KeyFile.Import</c> ran PBKDF2 for whatever iteration count the file's PBES2
    /// parameters declared, so a key file declaring 2^31-1 iterations kept Import busy for about an hour of CPU per
    /// block (measured: 6,000,000 iterations on both blocks took 8 s); it is now refused before any derivation. Replayed in
    /// a child process of this assembly (<see cref="ReplayProgram"/>, time budget 5 s), so that a regression cannot leave
    /// a busy thread in the test host.
    /// </summary>
    [Fact]
    [Trait("Category", "FuzzRegression")]
    public async Task Fuzz_hang_keyfile_unbounded_pbkdf2_iterations__Import_refuses_a_huge_iteration_count_at_once()
    {
        using var key = IdentityKey.Generate();
        var keyFile = WithIterations(KeyFile.Export(key, "patient", "pw", iterations: 1), [0x7f, 0xff, 0xff, 0xff]);
        Assert.Equal(int.MaxValue, KnownIssues.MaxDeclaredInteger(Encoding.UTF8.GetBytes(keyFile)));

        var (exitCode, text) = await ReplayInChildAsync("--replay", Convert.ToHexStringLower(Encoding.UTF8.GetBytes(keyFile)), "--target", "keyfile.import", "--time-budget-ms", "5000");

        Assert.True(exitCode == 0, $"KeyFile.Import did not finish within 5 s for a key file declaring 2^31-1 PBKDF2 iterations:\n{text}");
        Assert.Contains("accepted 0, rejected 1, crashes 0", text, StringComparison.Ordinal);
    }

    /// <summary>Replaces every PBKDF2 iteration count (the INTEGERs of the PEM blocks' DER) with <paramref name="value"/>.</summary>
    internal static string WithIterations(string keyFile, byte[] value)
    {
        var text = keyFile;
        foreach (var (start, end, label, der) in PemMutator.FindBlocks(keyFile).AsEnumerable().Reverse())
        {
            var root = DerNode.TryParse(der) ?? throw new InvalidOperationException("unparsable key file DER");
            foreach (var integer in root.All().Where(n => n.Tag == 0x02))
            {
                integer.Content = value;
            }

            text = text[..start] + new string(System.Security.Cryptography.PemEncoding.Write(label, root.Encode())) + text[end..];
        }

        return text;
    }

    private string Document() => Encoding.UTF8.GetString(_targets.MakeDocuments()[1]);

    private static async Task<(int ExitCode, string Output)> ReplayInChildAsync(params string[] args)
    {
        var self = typeof(ReplayProgram).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(self);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start the replay child process");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
