using HealthBlock.Accounting;
using HealthBlock.Crypto;
using HealthBlock.Devnet;
using HealthBlock.Doctor;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Ledger;
using HealthBlock.Storage.Embedded;

namespace HealthBlock.Cli.Tests;

/// <summary><c>healthblock doctor note</c> on a real one-node ledger over HTTP, and its refusals of bad input.</summary>
public sealed class DoctorCommandTests : IAsyncLifetime
{
    private const string Passphrase = "doctor pass";
    private readonly TempFolder _temp = new();
    private readonly IdentityKey _doctor = IdentityKey.Generate();
    private readonly IdentityKey _patient = IdentityKey.Generate();
    private LocalCluster _cluster = null!;
    private AccountingNode _ledger = null!;

    public async Task InitializeAsync()
    {
        _cluster = await LocalCluster.StartAsync(1, new LocalClusterOptions { RootDirectory = _temp.Sub("ledger") });
        _ledger = await _cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _doctor.Dispose();
        _patient.Dispose();
        _temp.Dispose();
    }

    private CliRunner Cli => new CliRunner().WithEnvironment(KeyFile.PassphraseVariable, Passphrase);

    [Fact]
    public async Task A_note_follows_a_committed_diagnosis_through_the_doctors_data_folder_and_bad_input_gets_one_clear_line()
    {
        var (data, store, payment, diagnosis) = await DoctorWithADiagnosisAsync();
        string[] Args(string followed, string text) => ["doctor", "note", followed, text, "--data", data, "--ledger", _ledger.HttpUrl.ToString(), "--store", store];

        var note = await Task.Run(() => Cli.Run(Args(diagnosis.IdHex, "Reviewed: fine.")));

        Assert.True(note.ExitCode == 0, note.Error);
        var noteTx = note.Out.Split(' ')[1];
        Assert.StartsWith($"note {noteTx} committed at docchain/", note.Out, StringComparison.Ordinal);
        var committed = await _ledger.GetTransactionAsync(Convert.FromHexString(noteTx));
        var payload = Assert.IsType<DiagnosisPayload>(committed!.Transaction.Body.Payload);
        Assert.Equal(diagnosis.IdBytes, payload.Follows);
        Assert.Equal(_doctor.Id, committed.Transaction.Body.Signer);

        foreach (var (followed, text, expected) in new[]
        {
            ("not-hex", "text", "is not a transaction id"),
            (payment.IdHex, "text", "not a diagnosis"),
            (new string('0', 64), "text", "is not committed"),
            (diagnosis.IdHex, " ", "A note is 1 to"),
        })
        {
            var refused = await Task.Run(() => Cli.Run(Args(followed, text)));
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains(expected, refused.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", refused.Error, StringComparison.Ordinal);
        }

        // The credit paid for two: the diagnosis and the note. A second note is refused by the ledger, in one line.
        var broke = await Task.Run(() => Cli.Run(Args(diagnosis.IdHex, "Once more.")));
        Assert.Equal(2, broke.ExitCode);
        Assert.Contains("the ledger refused the note: InsufficientCredit", broke.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_doctor_commands_refuse_a_missing_key_file_and_a_key_of_another_role()
    {
        var data = _temp.Sub("doctor-nokey");
        var url = _ledger.HttpUrl.ToString();

        var missing = Cli.Run("doctor", "note", new string('a', 64), "text", "--data", data, "--ledger", url, "--store", _temp.Sub("store"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no doctor key at", missing.Error, StringComparison.Ordinal);

        Directory.CreateDirectory(data);
        KeyFile.Write(Path.Combine(data, DoctorNodeOptions.DefaultKeyFileName), _patient, "patient", Passphrase, iterations: 10_000);
        var wrongRole = Cli.Run("doctor", "--data", data, "--ledger", url, "--store", _temp.Sub("store"));
        Assert.Equal(2, wrongRole.ExitCode);
        Assert.Contains("is a patient key, not a doctor key", wrongRole.Error, StringComparison.Ordinal);
    }

    /// <summary>
    /// A registered doctor whose data folder knows the patient's keys (its node ran once) and a diagnosis of it on the
    /// ledger; the patient paid two fees.
    /// </summary>
    private async Task<(string Data, string Store, Transaction Payment, Transaction Diagnosis)> DoctorWithADiagnosisAsync()
    {
        var admin = new LedgerSubmitter(_cluster.Admin, TestNetwork.Of(_ledger), new MemoryNonceCounter(), _ledger);
        await admin.SyncNonceAsync();
        await admin.SubmitAndWaitAsync(RegisterPayload.For(_doctor.Public, Role.Doctor, "Dr. Cli"));
        await admin.SubmitAndWaitAsync(RegisterPayload.For(_patient.Public, Role.Patient, "patient"));
        await admin.SubmitAndWaitAsync(new IssuePayload(_patient.Id, 1_000));
        var fee = (await _ledger.GetGenesisAsync()).DiagnosisFee;

        var patient = new LedgerSubmitter(_patient, TestNetwork.Of(_ledger), new MemoryNonceCounter(), _ledger);
        await patient.SubmitAndWaitAsync(new KeyPayload(1, [new KeyEnvelope(
            _doctor.Id,
            Envelope.Seal(_doctor.Public, 1, EnvelopePurpose.IotKey, Aead.NewKey()),
            Envelope.Seal(_doctor.Public, 1, EnvelopePurpose.DiagnosisKey, Aead.NewKey()))]));
        var (payment, _) = await patient.SubmitAndWaitAsync(new PaymentPayload(_doctor.Id, fee * 2));

        var doctor = new LedgerSubmitter(_doctor, TestNetwork.Of(_ledger), new MemoryNonceCounter(), _ledger);
        var (diagnosis, _) = await doctor.SubmitAndWaitAsync(new DiagnosisPayload(_patient.Id, 1, Cid.Compute([1]), [], 0, 1_000, null));

        var data = _temp.Sub("doctor");
        var store = _temp.Sub("store");
        var tip = (await _ledger.GetStatusAsync()).BlockCount(ChainId.Userchain);
        await using (var node = await DoctorNode.StartAsync(new DoctorNodeOptions { DataFolder = data }, _doctor, _ledger, new EmbeddedContentStore(store)))
        {
            await Eventually.WaitUntilAsync(() => node.Counters.UserchainHeight >= tip, "the doctor node to follow Userchain to its tip");
        }

        KeyFile.Write(Path.Combine(data, DoctorNodeOptions.DefaultKeyFileName), _doctor, "doctor", Passphrase, iterations: 10_000);
        return (data, store, payment, diagnosis);
    }
}
