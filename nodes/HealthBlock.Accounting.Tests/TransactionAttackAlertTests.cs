using System.Collections.Concurrent;
using HealthBlock.Devnet;
using HealthBlock.Alerts;
using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Accounting.Tests;

/// <summary>Attacks through the HTTP API: each must be refused with its reason AND raise an alert naming the signer and the client address.</summary>
public sealed class TransactionAttackAlertTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "hb-attack-" + Guid.NewGuid().ToString("N"));
    private readonly ConcurrentQueue<Alert> _alerts = new();
    private LocalCluster _cluster = null!;
    private AccountingNode _node = null!;
    private readonly List<IdentityKey> _keys = [];
    private LedgerClient _client = null!;
    private TransactionSigner _admin = null!;

    public async Task InitializeAsync()
    {
        _cluster = await LocalCluster.StartAsync(1, new LocalClusterOptions { RootDirectory = _root });
        _node = await _cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
        _node.Alerts.Add(new CallbackAlertSink("test", _alerts.Enqueue));
        _client = new LedgerClient(_node.HttpUrl, _cluster.Admin);
        _admin = new TransactionSigner(_cluster.Admin, _cluster.Genesis.NetworkId);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        _keys.ForEach(k => k.Dispose());
        await _cluster.DisposeAsync();
        try
        {
            Directory.Delete(_root, true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task A_forged_signature_is_refused_and_alerts_naming_the_claimed_signer_and_address()
    {
        using var patient = IdentityKey.Generate();
        using var attacker = IdentityKey.Generate();
        await RegisterPatientAsync(patient);
        var result = await _client.SubmitAsync(Transaction.Decode(Forge(patient.Id, attacker)));

        Assert.Equal(RejectReason.BadSignature, result.Reason);
        AssertAlert(patient.Id, RejectReason.BadSignature);
    }

    [Fact]
    public async Task A_replayed_transaction_is_refused_and_alerts()
    {
        using var patient = IdentityKey.Generate();
        await RegisterPatientAsync(patient);
        var iot = await CommitAsync(new TransactionSigner(patient, _cluster.Genesis.NetworkId).Sign(Helpers.Iot(0, 0)));

        var result = await _client.SubmitAsync(iot);

        Assert.False(result.Accepted);
        Assert.Contains(result.Reason, new[] { RejectReason.DuplicateTransaction, RejectReason.ReplayedNonce });
        AssertAlert(patient.Id, result.Reason);
    }

    [Fact]
    public async Task A_doctor_publishing_an_iot_transaction_is_refused_and_alerts()
    {
        using var doctor = IdentityKey.Generate();
        await _client.SubmitAndWaitAsync(_admin.Sign(RegisterPayload.For(doctor.Public, Role.Doctor, "Dr. Mallory")), TimeSpan.FromSeconds(30));
        var iot = Transaction.Sign(new TransactionBody(_cluster.Genesis.NetworkId, doctor.Id, 1, 1, new IotPayload(0, 1, Cid.Compute("x"u8), 0, 1, [SensorKind.Ecg], 1)), doctor);

        var result = await _client.SubmitAsync(iot);

        Assert.Equal(RejectReason.WrongRole, result.Reason);
        AssertAlert(doctor.Id, RejectReason.WrongRole);
    }

    [Fact]
    public async Task A_patient_publishing_a_diagnosis_is_refused_and_alerts()
    {
        using var patientKey = IdentityKey.Generate();
        var patient = new TransactionSigner(patientKey, _cluster.Genesis.NetworkId);
        await CommitAsync(_admin.Sign(RegisterPayload.For(patientKey.Public, Role.Patient, "patient")));
        var iot = await CommitAsync(patient.Sign(Helpers.Iot(0, 0)));

        var result = await _client.SubmitAsync(patient.Sign(Helpers.Diagnosis(patientKey.Id, 0, iot)));

        Assert.Equal(RejectReason.WrongRole, result.Reason);
        AssertAlert(patientKey.Id, RejectReason.WrongRole);
    }

    [Fact]
    public async Task A_diagnosis_by_a_doctor_the_patient_never_authorised_is_refused_and_alerts()
    {
        var (patient, patientKey) = await PatientAsync();
        using var authorised = IdentityKey.Generate();
        using var stranger = IdentityKey.Generate();
        await RegisterDoctorAsync(authorised);
        var strangerSigner = await RegisterDoctorAsync(stranger);
        await CommitAsync(patient.Sign(Helpers.Keys(1, authorised)));
        var iot = await CommitAsync(patient.Sign(Helpers.Iot(1, 0)));
        await CommitAsync(patient.Sign(new PaymentPayload(stranger.Id, _cluster.Genesis.DiagnosisFee)));

        var result = await _client.SubmitAsync(strangerSigner.Sign(Helpers.Diagnosis(patientKey.Id, 1, iot)));

        Assert.Equal(RejectReason.DoctorNotAuthorised, result.Reason);
        AssertAlert(stranger.Id, RejectReason.DoctorNotAuthorised);
    }

    [Fact]
    public async Task A_diagnosis_by_a_revoked_doctor_is_refused_and_alerts_even_for_data_of_its_old_epoch()
    {
        var (patient, patientKey) = await PatientAsync();
        using var revoked = IdentityKey.Generate();
        using var kept = IdentityKey.Generate();
        var revokedSigner = await RegisterDoctorAsync(revoked);
        await RegisterDoctorAsync(kept);
        await CommitAsync(patient.Sign(Helpers.Keys(1, revoked, kept)));
        var iot = await CommitAsync(patient.Sign(Helpers.Iot(1, 0)));
        await CommitAsync(patient.Sign(new PaymentPayload(revoked.Id, _cluster.Genesis.DiagnosisFee)));
        await CommitAsync(patient.Sign(Helpers.Keys(2, kept)));

        var result = await _client.SubmitAsync(revokedSigner.Sign(Helpers.Diagnosis(patientKey.Id, 1, iot)));

        Assert.Equal(RejectReason.DoctorNotAuthorised, result.Reason);
        Assert.Contains("no longer authorised", result.Message, StringComparison.Ordinal);
        AssertAlert(revoked.Id, RejectReason.DoctorNotAuthorised);
    }

    [Fact]
    public async Task A_diagnosis_without_payment_is_refused_and_alerts()
    {
        var (patient, patientKey) = await PatientAsync();
        using var doctor = IdentityKey.Generate();
        var doctorSigner = await RegisterDoctorAsync(doctor);
        await CommitAsync(patient.Sign(Helpers.Keys(1, doctor)));
        var iot = await CommitAsync(patient.Sign(Helpers.Iot(1, 0)));

        var result = await _client.SubmitAsync(doctorSigner.Sign(Helpers.Diagnosis(patientKey.Id, 1, iot)));

        Assert.Equal(RejectReason.InsufficientCredit, result.Reason);
        AssertAlert(doctor.Id, RejectReason.InsufficientCredit);
    }

    [Theory]
    [InlineData("unregistered-signer")]
    [InlineData("this-node")]
    [InlineData("garbage")]
    public async Task A_forged_forwarding_mark_does_not_silence_the_alert(string mark)
    {
        using var patient = IdentityKey.Generate();
        using var stranger = IdentityKey.Generate();
        await RegisterPatientAsync(patient);
        var forged = Forge(patient.Id, stranger);
        var header = mark switch
        {
            "unregistered-signer" => $"{stranger.Id} {Convert.ToBase64String(stranger.Sign(System.Security.Cryptography.SHA256.HashData(forged)))}",
            "this-node" => $"{_node.NodeId} AAAA",
            _ => "not a mark at all",
        };
        using var http = new HttpClient(LedgerTls.PinnedHandler(_node.Genesis)) { BaseAddress = _node.HttpUrl };
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/transactions") { Content = new ByteArrayContent(forged) };
        request.Headers.TryAddWithoutValidation("HealthBlock-Forwarded-By", header);

        using var response = await http.SendAsync(request);

        Assert.Equal(422, (int)response.StatusCode);
        AssertAlert(patient.Id, RejectReason.BadSignature);
    }

    /// <summary>A payment in <paramref name="victim"/>'s name, signed by <paramref name="attacker"/>.</summary>
    private byte[] Forge(IdentityId victim, IdentityKey attacker)
    {
        var body = new TransactionBody(_cluster.Genesis.NetworkId, victim, 2, 1, new PaymentPayload(attacker.Id, 1)).Encode();
        var w = CanonicalCbor.NewWriter();
        w.WriteStartArray(2);
        w.WriteByteString(body);
        w.WriteByteString(attacker.Sign(System.Security.Cryptography.SHA256.HashData(body)));
        w.WriteEndArray();
        return w.Encode();
    }

    /// <summary>A registered patient holding Healthcoin (issued by the admin) to pay with.</summary>
    private async Task<(TransactionSigner Signer, IdentityKey Key)> PatientAsync()
    {
        var key = IdentityKey.Generate();
        _keys.Add(key);
        var patient = new TransactionSigner(key, _cluster.Genesis.NetworkId);
        await CommitAsync(_admin.Sign(RegisterPayload.For(key.Public, Role.Patient, "patient")));
        await CommitAsync(_admin.Sign(new IssuePayload(key.Id, 1000)));
        return (patient, key);
    }

    private async Task<TransactionSigner> RegisterDoctorAsync(IdentityKey doctor)
    {
        await CommitAsync(_admin.Sign(RegisterPayload.For(doctor.Public, Role.Doctor, "Dr. " + doctor.Id.ToString()[..6])));
        return new TransactionSigner(doctor, _cluster.Genesis.NetworkId);
    }

    private async Task<Transaction> CommitAsync(Transaction tx)
    {
        await _client.SubmitAndWaitAsync(tx, TimeSpan.FromSeconds(30));
        return tx;
    }

    private async Task<Transaction> RegisterPatientAsync(IdentityKey patient)
    {
        var tx = _admin.Sign(RegisterPayload.For(patient.Public, Role.Patient, "patient"));
        await _client.SubmitAndWaitAsync(tx, TimeSpan.FromSeconds(30));
        return tx;
    }

    private void AssertAlert(IdentityId signer, RejectReason reason)
    {
        var alert = Assert.Single(_alerts);
        Assert.Equal(AlertKind.TransactionRefused, alert.Kind);
        Assert.Equal(signer.ToString(), alert.IdentityId);
        Assert.Equal("127.0.0.1", alert.ClientAddress);
        Assert.Equal(reason.ToString(), alert.Details["reason"]);
        Assert.Equal(_node.NodeId.ToString(), alert.Node);
    }
}
