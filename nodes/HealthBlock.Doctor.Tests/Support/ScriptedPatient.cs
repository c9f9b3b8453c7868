using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Ledger;
using HealthBlock.Storage;

namespace HealthBlock.Doctor.Tests;

/// <summary>
/// A patient driven straight on the ledger, without a gateway: registered by the admin, grants doctors (a key transaction with
/// envelopes sealed to them), pays them, and publishes IoT batches it seals and stores as a gateway does. For tests of
/// the doctor's parts that need real transactions but not MQTT.
/// </summary>
internal sealed class ScriptedPatient : IDisposable
{
    private readonly IContentStore _store;
    private readonly LedgerSubmitter _submitter;
    private readonly byte[] _deviceKey = Aead.NewKey();
    private readonly Dictionary<IdentityId, byte[]> _diagnosisKeys = [];
    private ulong _batch;
    private uint _sequence;

    private ScriptedPatient(IdentityKey key, ILedger ledger, IContentStore store)
    {
        Key = key;
        _store = store;
        _submitter = new LedgerSubmitter(key, TestNetwork.Of(ledger), new MemoryNonceCounter(), ledger);
    }

    public const ulong DeviceId = 0x5c41_9700;

    public IdentityKey Key { get; }

    public IdentityId Id => Key.Id;

    public uint Epoch { get; private set; }

    public byte[] IotKey { get; private set; } = [];

    /// <summary>Registers a new patient and has the admin issue it <paramref name="balance"/>.</summary>
    public static async Task<ScriptedPatient> RegisterAsync(ILedger ledger, IContentStore store, LedgerSubmitter admin, ulong balance = 10_000)
    {
        var patient = new ScriptedPatient(IdentityKey.Generate(), ledger, store);
        await admin.SubmitAndWaitAsync(RegisterPayload.For(patient.Key.Public, Role.Patient, "scripted patient"));
        await admin.SubmitAndWaitAsync(new IssuePayload(patient.Id, balance));
        return patient;
    }

    /// <summary>The diagnosis key issued to <paramref name="doctor"/>, or null.</summary>
    public byte[]? DiagnosisKeyOf(IdentityId doctor) => _diagnosisKeys.GetValueOrDefault(doctor);

    /// <summary>A new epoch whose key transaction names exactly <paramref name="doctors"/> (none: every doctor is revoked).</summary>
    public Task<Transaction> GrantAsync(params IdentityKey[] doctors)
    {
        Epoch++;
        IotKey = Aead.NewKey();
        var envelopes = doctors.Select(d =>
        {
            var diagnosisKey = _diagnosisKeys.TryGetValue(d.Id, out var k) ? k : _diagnosisKeys[d.Id] = Aead.NewKey();
            return new KeyEnvelope(d.Id, Envelope.Seal(d.Public, Epoch, EnvelopePurpose.IotKey, IotKey), Envelope.Seal(d.Public, Epoch, EnvelopePurpose.DiagnosisKey, diagnosisKey));
        }).ToList();
        return SubmitAsync(new KeyPayload(Epoch, envelopes));
    }

    public Task<Transaction> PayAsync(IdentityId doctor, ulong amount) => SubmitAsync(new PaymentPayload(doctor, amount));

    /// <summary>Seals one batch of temperature frames (centi-°C, one per second from <paramref name="startMs"/>), stores it and announces it.</summary>
    public async Task<Transaction> PublishAsync(long startMs, params short[] centiCelsius)
    {
        var frames = centiCelsius.Select((t, i) => Frame(SensorKind.Temperature, [t], startMs + (i * 1000L), 100)).ToList();
        return await PublishFramesAsync(frames, SensorKind.Temperature, startMs, startMs + (centiCelsius.Length * 1000L));
    }

    /// <summary>Seals <paramref name="frames"/> as the next batch, stores it and announces it.</summary>
    public async Task<Transaction> PublishFramesAsync(IReadOnlyList<byte[]> frames, SensorKind kind, long windowStartMs, long windowEndMs)
    {
        var batch = ++_batch;
        var sealedBatch = new IotBatch(Id, Epoch, batch, frames).Seal(IotKey);
        var cid = await _store.PutCheckedAsync(sealedBatch);
        return await SubmitAsync(new IotPayload(Epoch, batch, cid, windowStartMs, windowEndMs, [kind], (uint)frames.Count));
    }

    /// <summary>A device frame as the wearable makes it.</summary>
    public byte[] Frame(SensorKind kind, short[] samples, long timeMs, uint rateMilliHz) =>
        TestDevice.Frame(DeviceId, _deviceKey, _sequence++, kind, samples, timeMs, rateMilliHz);

    /// <summary>Signs <paramref name="payload"/> as the patient, submits it and waits for the commit.</summary>
    public async Task<Transaction> SubmitAsync(TransactionPayload payload)
    {
        var (tx, _) = await _submitter.SubmitAndWaitAsync(_submitter.Sign(payload), null, CancellationToken.None);
        return tx;
    }

    /// <summary>The ledger's answer to <paramref name="payload"/> signed as the patient (not thrown).</summary>
    public Task<SubmitOutcome> TrySubmitAsync(TransactionPayload payload) => _submitter.SubmitAsync(_submitter.Sign(payload));

    public void Dispose() => Key.Dispose();
}
