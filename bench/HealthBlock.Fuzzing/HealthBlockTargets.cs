using HealthBlock.Analysis;
using HealthBlock.Crypto;
using HealthBlock.Doctor;
using HealthBlock.Protocol;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Fuzz;

/// <summary>
/// The HealthBlock decoders under fuzzing, each with valid seed encodings made by the real encoders and the exception
/// types it documents. Where a format is canonical (CBOR ledger objects, binary and printed CIDs, IoT batch plaintexts),
/// an accepted input must re-encode to the same bytes: otherwise one object would have two byte forms and two hashes.
/// </summary>
public sealed class HealthBlockTargets : IDisposable
{
    /// <summary>The network the fuzz corpus's transactions and blocks name (any 32 bytes: the decoders do not check it).</summary>
    private static readonly NetworkId FuzzNetwork = NetworkId.FromGenesisHash(System.Security.Cryptography.SHA256.HashData("fuzz corpus"u8));

    internal const string Passphrase = "fuzz passphrase";
    internal const uint Epoch = 3;
    internal const ulong BatchNumber = 7;
    private const ulong DiagnosisNumber = 42;

    internal static readonly Type[] Protocol = [typeof(ProtocolException)];
    internal static readonly Type[] Crypto = [typeof(CryptoException)];
    internal static readonly Type[] ProtocolOrCrypto = [typeof(ProtocolException), typeof(CryptoException)];

    private readonly IdentityKey _patient = IdentityKey.Generate();
    private readonly IdentityKey _doctor = IdentityKey.Generate();
    private readonly IdentityKey _admin = IdentityKey.Generate();
    private readonly IdentityKey _node = IdentityKey.Generate();
    private readonly byte[] _deviceKey = DeviceMac.NewKey();
    private readonly byte[] _iotKey = Aead.NewKey();
    private readonly byte[] _diagnosisKey = Aead.NewKey();
    private readonly byte[] _aeadKey = Aead.NewKey();
    private readonly byte[] _aad = "HBB1 fuzz associated data"u8.ToArray();
    private readonly Random _random = new(20_240_601);

    /// <summary>Builds the seeds (a fixed RNG for the data; keys are fresh each run).</summary>
    public HealthBlockTargets()
    {
        Frames = MakeFrames();
        Transactions = MakeTransactions();
        Blocks = MakeBlocks(Transactions);
        All = MakeTargets();
    }

    /// <summary>Every target, in report order.</summary>
    public IReadOnlyList<FuzzTarget> All { get; }

    /// <summary>Valid frames used as seeds.</summary>
    public IReadOnlyList<byte[]> Frames { get; }

    /// <summary>Valid signed transactions used as seeds.</summary>
    public IReadOnlyList<Transaction> Transactions { get; }

    /// <summary>Valid blocks used as seeds.</summary>
    public IReadOnlyList<Block> Blocks { get; }

    /// <summary>The target called <paramref name="name"/>.</summary>
    public FuzzTarget this[string name] => All.Single(t => t.Name == name);

    internal IdentityKey Patient => _patient;

    internal IdentityKey Doctor => _doctor;

    internal byte[] DeviceKey => _deviceKey;

    internal byte[] IotKey => _iotKey;

    internal byte[] DiagnosisKey => _diagnosisKey;

    internal byte[] AeadKey => _aeadKey;

    internal byte[] Aad => _aad;

    /// <inheritdoc />
    public void Dispose()
    {
        _patient.Dispose();
        _doctor.Dispose();
        _admin.Dispose();
        _node.Dispose();
    }

    private List<FuzzTarget> MakeTargets()
    {
        var batches = MakeBatches();
        return [.. DecoderTargets.Create(this, batches), .. SealedTargets.Create(this, batches, MakeDocuments(), DiagnosisTransaction())];
    }

    /// <summary>Recomputes a frame's tag in place when its header declares a usable tag length.</summary>
    public void Retag(byte[] frame)
    {
        if (frame.Length < FrameLayout.HeaderSize)
        {
            return;
        }

        int tagLength = frame[FrameLayout.TagLengthOffset];
        if (tagLength is < FrameLayout.MinTagLength or > FrameLayout.MaxTagLength || frame.Length < FrameLayout.HeaderSize + tagLength)
        {
            return;
        }

        var tag = DeviceMac.Compute(_deviceKey, frame.AsSpan(0, frame.Length - tagLength));
        tag.AsSpan(0, tagLength).CopyTo(frame.AsSpan(frame.Length - tagLength));
    }

    /// <summary>Seals an IoT batch plaintext as the gateway does (nonce IOTB ‖ batch, AAD patient/epoch/batch).</summary>
    public byte[] SealBatch(byte[] plaintext) =>
        Aead.Seal(_iotKey, AeadNonce.For(AeadNonce.Purpose.Batch, BatchNumber), plaintext, IotBatch.Aad(_patient.Id, Epoch, BatchNumber));

    /// <summary>Live sub-batches sealed as the gateway seals them (nonce IOTL ‖ sequence), sequences 1, 2 and 5.</summary>
    public IReadOnlyList<byte[]> MakeLiveBatches() =>
    [
        new LiveBatch(_patient.Id, Epoch, 1, [Frames[0]]).Seal(_iotKey),
        new LiveBatch(_patient.Id, Epoch, 2, []).Seal(_iotKey),
        new LiveBatch(_patient.Id, Epoch, 5, [.. Frames.Where(f => f.Length < 600)]).Seal(_iotKey),
    ];

    /// <summary>Seals a live sub-batch plaintext under the fuzz IoT key with the sequence it names (0 when it does not decode).</summary>
    public byte[] SealLive(byte[] plaintext)
    {
        ulong sequence;
        try
        {
            sequence = LiveBatch.Decode(plaintext).Sequence;
        }
        catch (ProtocolException)
        {
            sequence = 1;
        }

        return Aead.Seal(_iotKey, AeadNonce.For(AeadNonce.Purpose.Live, sequence), plaintext, LiveBatch.Aad(_patient.Id, Epoch, sequence));
    }

    /// <summary>Seals a diagnosis plaintext as the doctor does (nonce DIAG ‖ number, AAD patient/doctor/epoch).</summary>
    public byte[] SealDocument(byte[] plaintext) =>
        Aead.Seal(_diagnosisKey, AeadNonce.For(AeadNonce.Purpose.Diagnosis, DiagnosisNumber), plaintext, SealedDiagnosis.Aad(_patient.Id, _doctor.Id, Epoch));

    /// <summary>Opens a sealed document against the seed diagnosis transaction (the patient reader's call).</summary>
    public DiagnosisDocument OpenDocumentForPatient(byte[] plaintext) => SealedDiagnosis.Open(SealDocument(plaintext), _diagnosisKey, DiagnosisTransaction());

    /// <summary>The seed diagnosis documents (UTF-8 JSON).</summary>
    public IReadOnlyList<byte[]> MakeDocuments()
    {
        var automated = new DiagnosisDocument
        {
            Kind = DiagnosisKinds.AutomatedScreening,
            Patient = _patient.Id.ToString(),
            Doctor = _doctor.Id.ToString(),
            Epoch = Epoch,
            Number = DiagnosisNumber,
            Covers = [CoveredTxHex],
            WindowStartMs = 1_000,
            WindowEndMs = 2_000,
            CreatedMs = 3_000,
            Label = DiagnosisDocument.AutomatedScreeningLabel,
            Disclaimer = AlgorithmInfo.ScreeningDisclaimer,
            Analysis = AnalysisReport.Create([TemperatureClassifier.Analyze(3850, new TimeWindow(0.5, 0.5)), BloodPressureClassifier.Analyze(150, 95, new TimeWindow(1, 1))]),
            Ecg = [new EcgRecordingSummary("00000000000000aa", 1_000, 2_000, 250, 250, 1, 0, 0, 1, 0, 2, new HeartRateSummary(2, 1, 60, 60, 60, 1, 0, 0, 0))],
            Readings =
            [
                new VitalReading(VitalReading.BloodPressure, "00000000000000bb", 1_500, 150, 95, 70, null),
                new VitalReading(VitalReading.Temperature, "00000000000000cc", 1_600, null, null, null, 38.5),
            ],
            Frames = new FrameStatistics(3, 1, 1, 1, 0, 0),
            Algorithms = [new AlgorithmUse("qrs", "1.0")],
        };
        var note = automated with
        {
            Kind = DiagnosisKinds.ClinicianNote,
            Label = DiagnosisDocument.ClinicianNoteLabel,
            Analysis = null,
            Disclaimer = null,
            Ecg = [],
            Readings = [],
            Frames = null,
            Algorithms = [],
            ClinicianNote = "Follow up in two weeks.",
        };
        return [automated.ToUtf8Json(), note.ToUtf8Json()];
    }

    private static string CoveredTxHex => new('a', 64);

    private Transaction DiagnosisTransaction()
    {
        var payload = new DiagnosisPayload(_patient.Id, Epoch, Cid.Compute("document"u8), [Convert.FromHexString(CoveredTxHex)], 1_000, 2_000, null);
        return Transaction.Sign(new TransactionBody(FuzzNetwork, _doctor.Id, 1, 5_000, payload), _doctor);
    }

    /// <summary>Fails the input as a crash when <paramref name="condition"/> does not hold.</summary>
    internal static void Require(bool condition, string what)
    {
        if (!condition)
        {
            throw new FuzzContractException(what);
        }
    }

    /// <summary>Seed bytes from the fixed RNG.</summary>
    internal byte[] Bytes(int length)
    {
        var data = new byte[length];
        _random.NextBytes(data);
        return data;
    }

    private List<byte[]> MakeFrames()
    {
        var mac = new HmacFrameMac(_deviceKey);
        var result = new List<byte[]>();
        void Add(byte kind, byte flags, int count, int tagLength, uint rate)
        {
            var samples = Enumerable.Range(0, count).Select(i => (short)((i * 37) - 1000)).ToArray();
            var buffer = new byte[FrameLayout.FrameSize(count, tagLength)];
            var n = FrameWriter.Write(buffer, 0, kind, flags, 0xa1b2c3d4e5f60718UL + kind, (uint)(result.Count + 1), 1_700_000_000_000 + result.Count, rate, samples, 0, count, result.Count, mac, tagLength);
            result.Add(buffer[..n]);
        }

        Add(FrameLayout.KindEcg, 0, 1, 32, 250_000);
        Add(FrameLayout.KindEcg, FrameLayout.FlagLeadOff, 25, 16, 250_000);
        Add(FrameLayout.KindEcg, 0, 250, 32, 250_000);
        Add(FrameLayout.KindEcg, FrameLayout.FlagSensorFault, FrameLayout.MaxSamples, 24, 500_000);
        Add(FrameLayout.KindBloodPressure, 0, 3, 32, 1);
        Add(FrameLayout.KindBloodPressure, FrameLayout.FlagSensorFault, 6, 17, 1);
        Add(FrameLayout.KindTemperature, 0, 1, 32, 100);
        Add(FrameLayout.KindTemperature, 0, 4, 31, 100);
        return result;
    }

    private List<Transaction> MakeTransactions()
    {
        var nonce = 1UL;
        Transaction Sign(IdentityKey key, TransactionPayload payload) =>
            Transaction.Sign(new TransactionBody(FuzzNetwork, key.Id, nonce++, 1_700_000_000_000 + (long)nonce, payload), key);

        var cid = Cid.Compute("batch"u8);
        var iotEnvelope = Envelope.Seal(_doctor.Public, Epoch, EnvelopePurpose.IotKey, _iotKey);
        var diagEnvelope = Envelope.Seal(_doctor.Public, Epoch, EnvelopePurpose.DiagnosisKey, _diagnosisKey);
        var otherDoctors = new[] { _admin.Id, _node.Id, _doctor.Id }.Order().ToArray();
        return
        [
            Sign(_patient, RegisterPayload.For(_patient.Public, Role.Patient, "Alice")),
            Sign(_doctor, RegisterPayload.For(_doctor.Public, Role.Doctor, "Dr Ünïcødé 医生")),
            Sign(_admin, RegisterPayload.For(_node.Public, Role.AccountingNode, string.Empty)),
            Sign(_admin, new IssuePayload(_patient.Id, 1_000_000)),
            Sign(_patient, new PaymentPayload(_doctor.Id, 250)),
            Sign(_patient, new KeyPayload(Epoch, [new KeyEnvelope(_doctor.Id, iotEnvelope, diagEnvelope)])),
            Sign(_patient, new KeyPayload(Epoch + 1, [.. otherDoctors.Select(d => new KeyEnvelope(d, iotEnvelope, diagEnvelope))])),
            Sign(_patient, new KeyPayload(Epoch + 2, [])),
            Sign(_patient, new IotPayload(Epoch, BatchNumber, cid, 1_000, 11_000, [SensorKind.Ecg, SensorKind.BloodPressure, SensorKind.Temperature], 40)),
            Sign(_patient, new IotPayload(Epoch, ulong.MaxValue, cid, -5, -5, [], 0)),
            Sign(_patient, new IotPayload(Epoch, BatchNumber + 1, cid, 1_000, 901_000, [SensorKind.Ecg], 900, new LiveAnchor(Bytes(32), 1, 1_000, 900))),
            Sign(_doctor, new DiagnosisPayload(_patient.Id, Epoch, cid, [], 1_000, 2_000, null, [new LiveCitation(3, Bytes(32)), new LiveCitation(ulong.MaxValue, Bytes(32))])),
            Sign(_doctor, new DiagnosisPayload(_patient.Id, Epoch, cid, [Bytes(32), Bytes(32)], 1_000, 11_000, null)),
            Sign(_doctor, new DiagnosisPayload(_patient.Id, Epoch, cid, [], long.MinValue, long.MaxValue, Bytes(32))),
        ];
    }

    private List<Block> MakeBlocks(IReadOnlyList<Transaction> transactions)
    {
        var userchain = transactions.Where(t => t.Body.Chain == ChainId.Userchain).ToList();
        var docchain = transactions.Where(t => t.Body.Chain == ChainId.Docchain).ToList();
        var genesis = Block.Create(FuzzNetwork, ChainId.Userchain, 0, new byte[32], 1_700_000_000_000, _node, []);
        return
        [
            genesis,
            Block.Create(FuzzNetwork, ChainId.Userchain, 1, genesis.Hash, 1_700_000_001_000, _node, userchain.Take(1).ToList()),
            Block.Create(FuzzNetwork, ChainId.Userchain, 2, Bytes(32), 1_700_000_002_000, _node, userchain.Skip(1).Take(5).ToList()),
            Block.Create(FuzzNetwork, ChainId.Docchain, 9, Bytes(32), 1_700_000_003_000, _node, docchain),
        ];
    }

    private List<byte[]> MakeBatches() =>
    [
        new IotBatch(_patient.Id, Epoch, BatchNumber, []).Encode(),
        new IotBatch(_patient.Id, Epoch, BatchNumber, [Frames[0]]).Encode(),
        new IotBatch(_patient.Id, Epoch, BatchNumber, [.. Frames.Where(f => f.Length < 600)]).Encode(),
    ];
}
