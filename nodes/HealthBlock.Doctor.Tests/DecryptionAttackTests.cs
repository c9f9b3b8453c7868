using System.Collections.Concurrent;
using System.Globalization;
using HealthBlock.Alerts;
using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Ledger;
using HealthBlock.Storage;
using Xunit.Abstractions;

namespace HealthBlock.Doctor.Tests;

/// <summary>
/// Attacks on what the doctor node decrypts — a ciphertext moved to another transaction, an envelope sealed to the wrong
/// key, a stored block modified on disk — on the real in-process ledger, store and gateways. Each must be refused (the
/// IoT transaction is not diagnosed, or the doctor is not authorised) AND raise one alert naming its source.
/// </summary>
public sealed class DecryptionAttackTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Commit = TimeSpan.FromSeconds(30);
    private readonly ConcurrentQueue<Alert> _alerts = new();
    private DoctorWorld _world = null!;

    public async Task InitializeAsync() => _world = await DoctorWorld.StartAsync(output);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task A_ciphertext_moved_to_another_patients_transaction_is_never_diagnosed_and_alerts_once_naming_that_patient_and_the_cid()
    {
        var owner = await _world.AddPatientAsync();
        var mover = await _world.AddPatientAsync();
        var doctorKey = await _world.RegisterDoctorAsync("Dr. Moved");
        await mover.Gateway.Keys.GrantAsync(doctorKey.Id);
        await mover.Gateway.Keys.PayAsync(doctorKey.Id, _world.Fee * 10);

        // The owner's batch (under its own key, AAD = owner, epoch, batch) and one honest batch of the mover.
        var ownerIot = await PublishOneBatchAsync(owner, 0x0a0e_0001, 3650);
        var moverIot = await PublishOneBatchAsync(mover, 0x0a0e_0002, 3700);
        var ownerBatch = (IotPayload)ownerIot.Transaction.Body.Payload;
        var moverBatch = (IotPayload)moverIot.Transaction.Body.Payload;

        // The mover announces the owner's ciphertext as its own next batch.
        var moved = await SubmitAsPatientAsync(mover, moverBatch with { Batch = moverBatch.Batch + 1, Cid = ownerBatch.Cid });

        // The doctor starts after both are on the chain; the store fails the honest batch until the moved one has been
        // fetched twice, so the moved transaction goes through a retry before it is given up.
        var store = new FlakyStore(_world.Store);
        store.FailGet = cid => cid.ToString() == moverBatch.Cid.ToString() && store.Gets(ownerBatch.Cid) < 2;
        var doctor = await StartDoctorAsync(doctorKey, store);
        await Eventually.WaitUntilAsync(() => doctor.Counters.Failed == 1 && doctor.Counters.Diagnosed == 1 && doctor.Counters.InProgress == 0, "the moved batch given up and the honest one diagnosed");

        Assert.True(store.Gets(ownerBatch.Cid) >= 2, "the moved batch was fetched again after a transient failure");
        Assert.True(doctor.Counters.TransientFailures >= 1);
        var diagnosis = Assert.Single(await _world.DiagnosesAsync(mover, doctorKey.Id));
        Assert.Equal([moverIot.Transaction.IdHex], diagnosis.Payload.Covers.Select(Convert.ToHexStringLower));
        Assert.Empty(await _world.DiagnosesAsync(owner));

        var alert = SingleAlert(AlertKind.DecryptionFailed, mover.Id, "doctor:" + doctorKey.Id, moved.IdHex);
        Assert.Equal(AlertSeverity.Warning, alert.Severity);
        Assert.Equal(ownerBatch.Cid.ToString(), alert.Details["cid"]);
        Assert.Equal(moverBatch.Epoch.ToString(CultureInfo.InvariantCulture), alert.Details["epoch"]);
        Assert.Equal((moverBatch.Batch + 1).ToString(CultureInfo.InvariantCulture), alert.Details["batch"]);
        Assert.Contains("does not authenticate", alert.Message, StringComparison.Ordinal);
        Assert.Contains(mover.Id.ToString(), alert.Message, StringComparison.Ordinal);
        Assert.Equal(1, doctor.Alerts.Count(AlertKind.DecryptionFailed));
    }

    [Fact]
    public async Task A_batch_reused_by_its_own_patient_under_another_batch_number_fails_its_aad_with_the_right_key_and_alerts()
    {
        var patient = await _world.AddPatientAsync();
        var doctorKey = await _world.RegisterDoctorAsync("Dr. Aad");
        await patient.Gateway.Keys.GrantAsync(doctorKey.Id);
        await patient.Gateway.Keys.PayAsync(doctorKey.Id, _world.Fee * 10);
        var doctor = await StartDoctorAsync(doctorKey);
        var iot = await PublishOneBatchAsync(patient, 0x0aad_0001, 3720);
        await Eventually.WaitUntilAsync(() => doctor.Counters.Diagnosed == 1, "the honest batch diagnosed with the patient's key");
        var batch = (IotPayload)iot.Transaction.Body.Payload;

        // Same patient, same epoch (so the same IoT key the doctor just used), the same ciphertext, another batch number.
        var reused = await SubmitAsPatientAsync(patient, batch with { Batch = batch.Batch + 1 });
        await Eventually.WaitUntilAsync(() => doctor.Counters.Failed == 1 && doctor.Counters.InProgress == 0, "the reused batch given up");

        Assert.Equal(1, doctor.Counters.Diagnosed);
        Assert.Equal(2, doctor.Counters.IotSeen);
        var diagnosis = Assert.Single(await _world.DiagnosesAsync(patient, doctorKey.Id));
        Assert.DoesNotContain(reused.IdHex, diagnosis.Payload.Covers.Select(Convert.ToHexStringLower));

        var alert = SingleAlert(AlertKind.DecryptionFailed, patient.Id, "doctor:" + doctorKey.Id, reused.IdHex);
        Assert.Equal(batch.Cid.ToString(), alert.Details["cid"]);
        Assert.Equal((batch.Batch + 1).ToString(CultureInfo.InvariantCulture), alert.Details["batch"]);
        Assert.Equal("batch", alert.Details["object"]);
        Assert.Contains("AAD", alert.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("iot-key-sealed-to-another-identity", EnvelopePurpose.IotKey)]
    [InlineData("iot-key-sealed-for-another-epoch", EnvelopePurpose.IotKey)]
    [InlineData("diagnosis-key-sealed-to-another-identity", EnvelopePurpose.DiagnosisKey)]
    public async Task An_envelope_sealed_to_the_wrong_key_does_not_authorise_the_doctor_and_alerts_naming_the_patient_and_the_key_transaction(string attack, EnvelopePurpose failing)
    {
        var patient = await _world.AddPatientAsync();
        var doctorKey = await _world.RegisterDoctorAsync("Dr. Envelope");
        using var stranger = IdentityKey.Generate();
        await patient.Gateway.Keys.GrantAsync(doctorKey.Id);
        await patient.Gateway.Keys.PayAsync(doctorKey.Id, _world.Fee * 10);
        var doctor = await StartDoctorAsync(doctorKey);
        var iot = await PublishOneBatchAsync(patient, 0x0e4e_0001, 3680);
        await Eventually.WaitUntilAsync(() => doctor.Counters.Diagnosed == 1, "the doctor authorised in the first epoch");

        // The patient's next key transaction names the doctor, but an envelope does not open with the doctor's key.
        var current = patient.Gateway.Keys.CurrentEpoch()!;
        var diagnosisKey = patient.Gateway.Keys.Doctors().Single(d => d.Id == doctorKey.Id).DiagnosisKey;
        var epoch = current.Epoch + 1;
        var envelope = attack switch
        {
            "iot-key-sealed-to-another-identity" => new KeyEnvelope(
                doctorKey.Id,
                Envelope.Seal(stranger.Public, epoch, EnvelopePurpose.IotKey, current.IotKey),
                Envelope.Seal(doctorKey.Public, epoch, EnvelopePurpose.DiagnosisKey, diagnosisKey)),
            "iot-key-sealed-for-another-epoch" => new KeyEnvelope(
                doctorKey.Id,
                Envelope.Seal(doctorKey.Public, epoch + 1, EnvelopePurpose.IotKey, current.IotKey),
                Envelope.Seal(doctorKey.Public, epoch, EnvelopePurpose.DiagnosisKey, diagnosisKey)),
            _ => new KeyEnvelope(
                doctorKey.Id,
                Envelope.Seal(doctorKey.Public, epoch, EnvelopePurpose.IotKey, current.IotKey),
                Envelope.Seal(stranger.Public, epoch, EnvelopePurpose.DiagnosisKey, diagnosisKey)),
        };
        var keyTx = await SubmitAsPatientAsync(patient, new KeyPayload(epoch, [envelope]));
        await Eventually.WaitUntilAsync(() => !_alerts.IsEmpty, "the alert");

        // A batch under that epoch is not served: the doctor holds no key for it.
        var batch = (IotPayload)iot.Transaction.Body.Payload;
        var later = await SubmitAsPatientAsync(patient, batch with { Epoch = epoch, Batch = batch.Batch + 1 });
        await Eventually.WaitUntilAsync(() => doctor.Counters.IotSeen == 2 && doctor.Counters.NotAuthorised == 1, "the batch of the new epoch not served");

        Assert.Equal(1, doctor.Counters.Diagnosed);
        Assert.Equal(0, doctor.Counters.InProgress + doctor.Counters.Failed);
        var diagnosis = Assert.Single(await _world.DiagnosesAsync(patient, doctorKey.Id));
        Assert.DoesNotContain(later.IdHex, diagnosis.Payload.Covers.Select(Convert.ToHexStringLower));

        var alert = SingleAlert(AlertKind.DecryptionFailed, patient.Id, "doctor:" + doctorKey.Id, keyTx.IdHex);
        Assert.Equal(epoch.ToString(CultureInfo.InvariantCulture), alert.Details["epoch"]);
        Assert.Equal("envelope", alert.Details["object"]);
        Assert.Equal(failing.ToString(), alert.Details["purpose"]);
        Assert.Contains(keyTx.IdHex, alert.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stored_block_modified_on_disk_is_given_up_and_alerts_naming_the_store_the_cid_and_the_patient()
    {
        var patient = await _world.AddPatientAsync();
        var doctorKey = await _world.RegisterDoctorAsync("Dr. Disk");
        await patient.Gateway.Keys.GrantAsync(doctorKey.Id);
        await patient.Gateway.Keys.PayAsync(doctorKey.Id, _world.Fee * 10);
        var iot = await PublishOneBatchAsync(patient, 0xd15c_0001, 3690);
        var batch = (IotPayload)iot.Transaction.Body.Payload;

        // One byte of the stored ciphertext flipped before the doctor reads it.
        var path = _world.Store.GetBlockPath(batch.Cid);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes);

        var doctor = await StartDoctorAsync(doctorKey);
        await Eventually.WaitUntilAsync(() => doctor.Counters.Failed == 1 && doctor.Counters.InProgress == 0 && !_alerts.IsEmpty, "the tampered batch given up and its alert");

        Assert.Equal(0, doctor.Counters.Diagnosed);
        Assert.Equal(0, doctor.Counters.Diagnoses);
        Assert.Empty(await _world.DiagnosesAsync(patient));

        var alert = Assert.Single(_alerts);
        Assert.Equal(AlertKind.StoreTampered, alert.Kind);
        Assert.Equal(AlertSeverity.Critical, alert.Severity);
        Assert.Equal(patient.Id.ToString(), alert.IdentityId);
        Assert.Equal(_world.Store.Name, alert.Node);
        Assert.Equal(batch.Cid.ToString(), alert.Details["cid"]);
        Assert.Equal(iot.Transaction.IdHex, alert.Details["tx"]);
        Assert.Equal(doctorKey.Id.ToString(), alert.Details["doctor"]);
        Assert.Contains(batch.Cid.ToString(), alert.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hub_given_in_the_options_is_used_and_left_open_and_without_one_the_node_makes_and_closes_a_logging_hub()
    {
        var doctorKey = await _world.RegisterDoctorAsync("Dr. Hub");
        var given = new AlertHub();
        var node = await _world.StartDoctorAsync(doctorKey, alerts: given);
        Assert.Same(given, node.Alerts);
        await _world.StopDoctorAsync(node);
        given.Add(new CallbackAlertSink("after", _ => { }));

        node = await _world.StartDoctorAsync(doctorKey);
        var own = node.Alerts;
        Assert.NotSame(given, own);
        Assert.Equal(new[] { "log" }, own.SinkNames);
        await _world.StopDoctorAsync(node);
        Assert.Throws<ObjectDisposedException>(() => own.Add(new CallbackAlertSink("after", _ => { })));
        await given.DisposeAsync();
    }

    private Task<DoctorNode> StartDoctorAsync(IdentityKey doctorKey, IContentStore? store = null) =>
        _world.StartDoctorAsync(doctorKey, beforeStart: node => node.Alerts.Add(new CallbackAlertSink("test", _alerts.Enqueue)), store: store);

    /// <summary>Publishes one temperature frame through the patient's gateway and returns the IoT transaction of its batch.</summary>
    private async Task<CommittedTransaction> PublishOneBatchAsync(PatientSide patient, ulong deviceId, short centiCelsius)
    {
        var device = await patient.PairAsync(deviceId);
        var before = patient.Gateway.Batcher.CommittedFrames;
        await device.PublishAsync(SensorKind.Temperature, [centiCelsius], Signals.NowMs());
        await Eventually.WaitUntilAsync(() => patient.Gateway.Batcher.CommittedFrames == before + 1, "the frame committed");
        return (await _world.IotTransactionsAsync(patient))[^1];
    }

    /// <summary>Signs <paramref name="payload"/> as the patient with the ledger's next nonce for it, submits it and waits for the commit.</summary>
    private async Task<Transaction> SubmitAsPatientAsync(PatientSide patient, TransactionPayload payload)
    {
        var signer = new TransactionSigner(patient.Key, _world.Genesis.NetworkId, await _world.Ledger.GetNextNonceAsync(patient.Id));
        var tx = signer.Sign(payload);
        await _world.Ledger.SubmitAndWaitAsync(tx, Commit);
        return tx;
    }

    /// <summary>A store that fails <see cref="GetAsync"/> with <see cref="StoreUnavailableException"/> while <see cref="FailGet"/> says so, and counts gets.</summary>
    private sealed class FlakyStore(IContentStore inner) : IContentStore
    {
        private readonly ConcurrentDictionary<string, int> _gets = new(StringComparer.Ordinal);

        public Func<Cid, bool> FailGet { get; set; } = _ => false;

        public string Name => inner.Name;

        public int Gets(Cid cid) => _gets.GetValueOrDefault(cid.ToString());

        public Task<byte[]> GetAsync(Cid cid, CancellationToken cancellationToken = default)
        {
            var fail = FailGet(cid);
            _gets.AddOrUpdate(cid.ToString(), 1, (_, n) => n + 1);
            return fail ? Task.FromException<byte[]>(new StoreUnavailableException("flaky", "the store is briefly unavailable", cid)) : inner.GetAsync(cid, cancellationToken);
        }

        public Task<Cid> PutAsync(ReadOnlyMemory<byte> block, CancellationToken cancellationToken = default) => inner.PutAsync(block, cancellationToken);

        public Task<bool> HasAsync(Cid cid, CancellationToken cancellationToken = default) => inner.HasAsync(cid, cancellationToken);

        public Task PinAsync(Cid cid, CancellationToken cancellationToken = default) => inner.PinAsync(cid, cancellationToken);
    }

    /// <summary>The one alert raised, checked for its kind, patient, node and transaction.</summary>
    private Alert SingleAlert(AlertKind kind, IdentityId patient, string node, string tx)
    {
        var alert = Assert.Single(_alerts);
        Assert.Equal(kind, alert.Kind);
        Assert.Equal(patient.ToString(), alert.IdentityId);
        Assert.Equal(node, alert.Node);
        Assert.Equal(tx, alert.Details["tx"]);
        return alert;
    }
}
