using HealthBlock.Gateway.Ingest;
using HealthBlock.Gateway.Devices;
using HealthBlock.Gateway.Journal;
using HealthBlock.Gateway.Keys;
using HealthBlock.Gateway.Store;
using HealthBlock.Protocol.Frames;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthBlock.Gateway.Tests;

public sealed class IngestTests : IAsyncLifetime
{
    private readonly TempFolder _temp = new();
    private GatewayStore _db = null!;
    private DeviceRegistry _devices = null!;
    private FrameJournal _journal = null!;
    private FrameIngestor _ingestor = null!;
    private TestDevice _device = null!;
    private string _patient = null!;
    private readonly List<RejectedFrame> _alerts = [];
    private static readonly FrameSource Source = new("wearable-1", "127.0.0.1:50000");

    public Task InitializeAsync()
    {
        Open();
        var entry = _devices.Pair(0x00a1b2c3d4e5f601);
        _device = new TestDevice(entry.Id, entry.Key);
        return Task.CompletedTask;
    }

    private void Open()
    {
        _db = GatewayStore.Open(_temp.Path);
        _devices = new DeviceRegistry(_db, SecretSealer.Open(_db, TestKeys.Patient));
        _journal = new FrameJournal(_db, NullLogger.Instance);
        _patient = TestKeys.Patient.Id.ToString();
        _ingestor = new FrameIngestor(_patient, _devices, _journal, NullLogger.Instance);
        _ingestor.Rejected += _alerts.Add;
    }

    public async Task DisposeAsync()
    {
        await _journal.DisposeAsync();
        _db.Dispose();
        _temp.Dispose();
    }

    private Task<FrameIngestResult> Send(byte[] frame, string? topic = null) => _ingestor.IngestAsync(topic ?? _device.Topic(_patient), frame, Source);

    [Fact]
    public async Task A_good_frame_is_journalled_and_survives_a_reopen()
    {
        var frame = _device.Ecg();
        var result = await Send(frame);

        Assert.True(result.Accepted);
        Assert.Null(result.Reason);
        Assert.Equal(1, _journal.Backlog());

        await _journal.DisposeAsync();
        _db.Dispose();
        Open();
        Assert.Equal(1, _journal.Backlog());
        Assert.Equal(FrameRejection.Replay, (await Send(_device.Ecg(sequence: 0, samples: [1]))).Reason);
    }

    public static TheoryData<string> BadFrames() => ["malformed", "bad-mac", "unknown-device", "wrong-patient", "bad-topic", "topic-mismatch", "replay", "duplicate", "removed-device"];

    [Theory]
    [MemberData(nameof(BadFrames))]
    public async Task Every_kind_of_bad_frame_is_refused_counted_and_the_gateway_keeps_going(string kind)
    {
        var first = _device.Ecg();
        Assert.True((await Send(first)).Accepted);
        var stranger = new TestDevice(0x42, HealthBlock.Crypto.DeviceMac.NewKey());

        var (result, expected) = kind switch
        {
            "malformed" => (await Send([1, 2, 3]), FrameRejection.MalformedFrame),
            "bad-mac" => (await Send(_device.Frame(SensorKind.Ecg, [1, 2], key: HealthBlock.Crypto.DeviceMac.NewKey())), FrameRejection.BadMac),
            "unknown-device" => (await Send(stranger.Ecg(), stranger.Topic(_patient)), FrameRejection.UnknownDevice),
            "wrong-patient" => (await Send(_device.Ecg(), _device.Topic("someoneelse")), FrameRejection.WrongPatient),
            "bad-topic" => (await Send(_device.Ecg(), "sensors/ecg"), FrameRejection.MalformedTopic),
            "topic-mismatch" => (await Send(_device.Ecg(), _device.Topic(_patient, SensorKind.Temperature)), FrameRejection.TopicMismatch),
            "replay" => (await Send(_device.Ecg(samples: [9, 9], sequence: 0)), FrameRejection.Replay),
            "duplicate" => (await Send(first), FrameRejection.Duplicate),
            "removed-device" => (await RemoveThenSend(), FrameRejection.UnknownDevice),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        Assert.Equal(expected, result.Reason);
        Assert.Equal(1, _ingestor.Rejections[expected]);
        Assert.Equal(kind == "duplicate", result.Accepted);
        Assert.Equal(kind != "duplicate", _alerts.Count == 1);
        if (kind != "duplicate")
        {
            Assert.Equal(Source, _alerts[0].Source);
        }

        if (kind != "removed-device")
        {
            Assert.True((await Send(_device.Ecg())).Accepted);
        }

        Assert.Equal(kind == "removed-device" ? 1 : 2, _journal.Backlog());
    }

    private async Task<FrameIngestResult> RemoveThenSend()
    {
        _devices.SetState(_device.Id, DeviceState.Removed);
        return await Send(_device.Ecg());
    }

    [Fact]
    public async Task Gaps_in_sequence_are_accepted_and_recorded()
    {
        Assert.True((await Send(_device.Ecg(sequence: 10))).Accepted);
        Assert.True((await Send(_device.Ecg(sequence: 15))).Accepted);

        Assert.Equal(4, _ingestor.GapCount);
    }

    [Fact]
    public async Task A_pending_device_is_refused_until_activated()
    {
        var pending = _devices.Pair(0x77, DeviceState.Pending);
        var device = new TestDevice(pending.Id, pending.Key);

        Assert.Equal(FrameRejection.DeviceNotActive, (await Send(device.Ecg(), device.Topic(_patient))).Reason);
        _devices.SetState(pending.Id, DeviceState.Active);
        Assert.True((await Send(device.Ecg(), device.Topic(_patient))).Accepted);
    }

    [Fact]
    public async Task Concurrent_frames_from_many_devices_are_grouped_into_few_commits_and_none_is_lost()
    {
        var devices = Enumerable.Range(1, 20).Select(i =>
        {
            var e = _devices.Pair((ulong)(1000 + i));
            return new TestDevice(e.Id, e.Key);
        }).ToArray();

        var sends = devices.SelectMany(d => Enumerable.Range(0, 25).Select(_ => (d, frame: d.Ecg()))).ToArray();
        var results = await Task.WhenAll(sends.GroupBy(s => s.d).Select(async g =>
        {
            var list = new List<FrameIngestResult>();
            foreach (var (d, frame) in g)
            {
                list.Add(await Send(frame, d.Topic(_patient)));
            }

            return list;
        }));

        Assert.All(results.SelectMany(r => r), r => Assert.True(r.Accepted));
        Assert.Equal(500, _journal.Backlog());
        Assert.True(_journal.Groups < 500, $"{_journal.Groups} commits for 500 frames");
    }
}
