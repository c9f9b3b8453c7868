using System.Collections.Concurrent;
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
    private LedgerClient _client = null!;

    public async Task InitializeAsync()
    {
        _cluster = await LocalCluster.StartAsync(1, new LocalClusterOptions { RootDirectory = _root });
        _node = await _cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
        _node.Alerts.Add(new CallbackAlertSink("test", _alerts.Enqueue));
        _client = new LedgerClient(_node.HttpUrl);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
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
        var body = new TransactionBody(patient.Id, 2, 1, new PaymentPayload(attacker.Id, 1)).Encode();
        var w = CanonicalCbor.NewWriter();
        w.WriteStartArray(2);
        w.WriteByteString(body);
        w.WriteByteString(attacker.Sign(System.Security.Cryptography.SHA256.HashData(body)));
        w.WriteEndArray();

        var result = await _client.SubmitAsync(Transaction.Decode(w.Encode()));

        Assert.Equal(RejectReason.BadSignature, result.Reason);
        AssertAlert(patient.Id, RejectReason.BadSignature);
    }

    [Fact]
    public async Task A_replayed_transaction_is_refused_and_alerts()
    {
        using var patient = IdentityKey.Generate();
        var registration = await RegisterPatientAsync(patient);

        var result = await _client.SubmitAsync(registration);

        Assert.False(result.Accepted);
        Assert.Contains(result.Reason, new[] { RejectReason.DuplicateTransaction, RejectReason.ReplayedNonce, RejectReason.AlreadyRegistered });
        AssertAlert(patient.Id, result.Reason);
    }

    [Fact]
    public async Task A_doctor_publishing_an_iot_transaction_is_refused_and_alerts()
    {
        using var doctor = IdentityKey.Generate();
        var admin = new TransactionSigner(_cluster.Admin);
        await _client.SubmitAndWaitAsync(admin.Sign(RegisterPayload.For(doctor.Public, Role.Doctor, "Dr. Mallory")), TimeSpan.FromSeconds(30));
        var iot = Transaction.Sign(new TransactionBody(doctor.Id, 1, 1, new IotPayload(0, 1, Cid.Compute("x"u8), 0, 1, [SensorKind.Ecg], 1)), doctor);

        var result = await _client.SubmitAsync(iot);

        Assert.Equal(RejectReason.WrongRole, result.Reason);
        AssertAlert(doctor.Id, RejectReason.WrongRole);
    }

    private async Task<Transaction> RegisterPatientAsync(IdentityKey patient)
    {
        var tx = Transaction.Sign(new TransactionBody(patient.Id, 1, 1, RegisterPayload.For(patient.Public, Role.Patient, "patient")), patient);
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
