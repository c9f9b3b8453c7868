using HealthBlock.Alerts;
using HealthBlock.Crypto;
using HealthBlock.Doctor.Following;
using HealthBlock.Doctor.Storage;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Ledger;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthBlock.Doctor.Tests;

/// <summary>What a Userchain block means to one doctor (<see cref="UserchainBlockReader"/>), with real keys and envelopes.</summary>
public sealed class UserchainBlockReaderTests : IDisposable
{
    private readonly DoctorParts _parts = new();
    private readonly IdentityKey _patient = IdentityKey.Generate();
    private readonly IdentityKey _otherDoctor = IdentityKey.Generate();
    private readonly IdentityKey _proposer = IdentityKey.Generate();
    private readonly UserchainBlockReader _reader;
    private ulong _nonce;

    public UserchainBlockReaderTests() => _reader = new UserchainBlockReader(_parts.Doctor, _parts.Keys, _parts.AlertBuilder, NullLogger.Instance);

    public void Dispose()
    {
        _patient.Dispose();
        _otherDoctor.Dispose();
        _proposer.Dispose();
        _parts.Dispose();
    }

    [Fact]
    public void A_key_transaction_naming_the_doctor_grants_keys_it_can_open_and_one_that_does_not_withdraws()
    {
        var iotKey = Aead.NewKey();
        var diagnosisKey = Aead.NewKey();
        var grant = Tx(new KeyPayload(3, [Envelope(_parts.Doctor.Public, 3, iotKey, diagnosisKey), Envelope(_otherDoctor.Public, 3, iotKey, Aead.NewKey())]));
        var withdraw = Tx(new KeyPayload(4, [Envelope(_otherDoctor.Public, 4, iotKey, Aead.NewKey())]));
        var alerts = new List<Alert>();

        var ops = _reader.Read(BlockOf(7, grant, withdraw), alerts);

        Assert.Empty(alerts);
        var granted = Assert.IsType<KeyGrantedOp>(ops[0]);
        Assert.Equal((_patient.Id, 3u, grant.IdHex), (granted.Patient, granted.Epoch, granted.KeyTxId));
        _parts.Db.Userchain.Apply(7, [granted], 1_000);
        var opened = _parts.Keys.Open(_patient.Id, 3)!;
        Assert.Equal(iotKey, opened.IotKey);
        Assert.Equal(diagnosisKey, opened.DiagnosisKey);
        var withdrawn = Assert.IsType<KeyWithdrawnOp>(ops[1]);
        Assert.Equal(4u, withdrawn.Epoch);
        Assert.Contains(withdraw.IdHex, withdrawn.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(EnvelopePurpose.IotKey)]
    [InlineData(EnvelopePurpose.DiagnosisKey)]
    public void An_envelope_that_does_not_open_withdraws_the_doctor_and_yields_one_alert_naming_the_purpose(EnvelopePurpose failing)
    {
        var good = _parts.Doctor.Public;
        var envelope = new KeyEnvelope(
            _parts.Doctor.Id,
            HealthBlock.Crypto.Envelope.Seal(failing == EnvelopePurpose.IotKey ? _otherDoctor.Public : good, 2, EnvelopePurpose.IotKey, Aead.NewKey()),
            HealthBlock.Crypto.Envelope.Seal(failing == EnvelopePurpose.DiagnosisKey ? _otherDoctor.Public : good, 2, EnvelopePurpose.DiagnosisKey, Aead.NewKey()));
        var tx = Tx(new KeyPayload(2, [envelope]));
        var alerts = new List<Alert>();

        var op = Assert.Single(_reader.Read(BlockOf(9, tx), alerts));

        Assert.IsType<KeyWithdrawnOp>(op);
        var alert = Assert.Single(alerts);
        Assert.Equal(AlertKind.DecryptionFailed, alert.Kind);
        Assert.Equal(_patient.Id.ToString(), alert.IdentityId);
        Assert.Equal("doctor:" + _parts.Doctor.Id, alert.Node);
        Assert.Equal(failing.ToString(), alert.Details["purpose"]);
        Assert.Equal(tx.IdHex, alert.Details["tx"]);
        Assert.Equal("9", alert.Details["height"]);
    }

    [Fact]
    public void Iot_transactions_keep_their_ledger_order_and_only_payments_to_this_doctor_count()
    {
        var cid = Cid.Compute([1, 2, 3]);
        var iot1 = Tx(new IotPayload(1, 5, cid, 100, 200, [SensorKind.Temperature], 1));
        var toOther = Tx(new PaymentPayload(_otherDoctor.Id, 30));
        var toThis = Tx(new PaymentPayload(_parts.Doctor.Id, 20));
        var iot2 = Tx(new IotPayload(1, 6, cid, 200, 300, [SensorKind.Temperature], 1));

        var ops = _reader.Read(BlockOf(12, iot1, toOther, toThis, iot2), []);

        Assert.Equal(3, ops.Count);
        var first = Assert.IsType<IotOp>(ops[0]).Item;
        var payment = Assert.IsType<PaymentOp>(ops[1]);
        var second = Assert.IsType<IotOp>(ops[2]).Item;
        Assert.Equal((iot1.IdHex, 5UL, 100L, 200L), (first.TxId, first.Batch, first.WindowStartMs, first.WindowEndMs));
        Assert.True(first.Order < second.Order);
        Assert.Equal(IotTable.OrderOf(12, 3), second.Order);
        Assert.Equal((_patient.Id, toThis.IdHex, 20UL), (payment.Patient, payment.TxId, payment.Amount));
    }

    private static KeyEnvelope Envelope(PublicIdentity doctor, uint epoch, byte[] iotKey, byte[] diagnosisKey) =>
        new(doctor.Id, HealthBlock.Crypto.Envelope.Seal(doctor, epoch, EnvelopePurpose.IotKey, iotKey), HealthBlock.Crypto.Envelope.Seal(doctor, epoch, EnvelopePurpose.DiagnosisKey, diagnosisKey));

    private Transaction Tx(TransactionPayload payload) => Transaction.Sign(new TransactionBody(UncheckedNetwork.Id, _patient.Id, ++_nonce, 1_000, payload), _patient);

    private Block BlockOf(ulong height, params Transaction[] transactions) => Block.Create(UncheckedNetwork.Id, ChainId.Userchain, height, new byte[32], 1_000, _proposer, transactions);
}
