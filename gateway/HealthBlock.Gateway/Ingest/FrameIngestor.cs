using System.Collections.Concurrent;
using HealthBlock.Gateway.Devices;
using HealthBlock.Protocol;
using HealthBlock.Gateway.Journal;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Mqtt;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Gateway.Ingest;

/// <summary>
/// Checks each MQTT message in order — topic, frame format, paired and active device, HMAC, topic/frame agreement,
/// sequence (in the journal) — and appends good frames to the journal before answering. Safe for concurrent use.
/// </summary>
public sealed class FrameIngestor
{
    private readonly string _patient;
    private readonly DeviceRegistry _devices;
    private readonly FrameJournal _journal;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<FrameRejection, long> _rejections = new();
    private long _accepted;
    private long _gaps;

    /// <summary>Creates the ingestor for <paramref name="patient"/>'s gateway.</summary>
    public FrameIngestor(string patient, DeviceRegistry devices, FrameJournal journal, ILogger logger, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _patient = patient;
        _devices = devices;
        _journal = journal;
        _logger = logger;
    }

    /// <summary>Raised for every refused frame (after it is counted and logged).</summary>
    public event Action<RejectedFrame>? Rejected;

    /// <summary>Raised for every newly journalled frame (with its journal id); the batcher wakes on it.</summary>
    public event Action<DeviceFrame, long>? Accepted;

    /// <summary>Frames newly journalled.</summary>
    public long AcceptedCount => Interlocked.Read(ref _accepted);

    /// <summary>Sequence numbers found missing (gaps accepted and recorded).</summary>
    public long GapCount => Interlocked.Read(ref _gaps);

    /// <summary>Rejections by reason since start.</summary>
    public IReadOnlyDictionary<FrameRejection, long> Rejections => new Dictionary<FrameRejection, long>(_rejections);

    /// <summary>The topic a device publishes a sensor's frames on.</summary>
    public static string Topic(string patient, ulong device, SensorKind kind) => DeviceTopics.ForSensor(patient, device, (byte)kind);

    /// <summary>The subscription filter of one patient's frames.</summary>
    public static string TopicFilter(string patient) => DeviceTopics.PatientFilter(patient);

    /// <summary>Ingests one message; never throws for bad input.</summary>
    public async Task<FrameIngestResult> IngestAsync(string topic, ReadOnlyMemory<byte> payload, FrameSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(source);
        if (!DeviceTopics.TryParse(topic, out var topicPatient, out var topicDevice, out var topicKindByte))
        {
            return Reject(FrameRejection.MalformedTopic, $"topic '{Shorten(topic)}' is not hb/<patient>/<device>/<sensor>", null, null, source, topic);
        }

        var topicDeviceName = DeviceTopics.FormatDeviceId(topicDevice);
        var topicKind = (SensorKind)topicKindByte;
        if (topicPatient != _patient)
        {
            return Reject(FrameRejection.WrongPatient, $"topic names patient '{Shorten(topicPatient)}', this gateway serves {_patient}", topicDeviceName, null, source, topic);
        }

        DeviceFrame frame;
        try
        {
            frame = DeviceFrame.Decode(payload.Span);
        }
        catch (ProtocolException e)
        {
            return Reject(FrameRejection.MalformedFrame, $"{e.Error}: {e.Message}", topicDeviceName, null, source, topic);
        }

        var device = frame.DeviceName;
        if (!_devices.TryGet(frame.DeviceId, out var entry) || entry.State == DeviceState.Removed)
        {
            return Reject(FrameRejection.UnknownDevice, $"device {device} is not paired", device, frame, source, topic);
        }

        if (!frame.VerifyTag(entry.Key))
        {
            return Reject(FrameRejection.BadMac, $"frame {frame.Sequence} fails HMAC verification", device, frame, source, topic);
        }

        if (entry.State != DeviceState.Active)
        {
            return Reject(FrameRejection.DeviceNotActive, $"device {device} is {entry.State.ToString().ToLowerInvariant()}", device, frame, source, topic);
        }

        if (frame.DeviceId != topicDevice || frame.Kind != topicKind)
        {
            return Reject(FrameRejection.TopicMismatch, $"frame of {device}/{SensorKinds.TopicName(frame.Kind)} on topic {topicDeviceName}/{SensorKinds.TopicName(topicKind)}", device, frame, source, topic);
        }

        AppendResult appended;
        try
        {
            appended = await _journal.AppendAsync(frame, entry.Pairing, _time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false);
        }
        catch (JournalException e)
        {
            return Reject(FrameRejection.JournalUnavailable, e.InnerException?.Message ?? e.Message, device, frame, source, topic);
        }

        switch (appended.Outcome)
        {
            case AppendOutcome.Appended:
                Interlocked.Increment(ref _accepted);
                if (appended.Gap > 0)
                {
                    Interlocked.Add(ref _gaps, appended.Gap);
                    _logger.LogInformation("Device {Device}: {Gap} frames missing before sequence {Sequence} (recorded)", device, appended.Gap, frame.Sequence);
                }

                Accepted?.Invoke(frame, appended.FrameId);
                return new FrameIngestResult(true, null, "journalled", frame, appended.FrameId);
            case AppendOutcome.Duplicate:
                Count(FrameRejection.Duplicate);
                _logger.LogInformation("Device {Device} at {Address}: frame {Sequence} is already journalled (retransmission)", device, source.Address, frame.Sequence);
                return new FrameIngestResult(true, FrameRejection.Duplicate, "already journalled", frame, appended.FrameId);
            default:
                return Reject(FrameRejection.Replay, $"sequence {frame.Sequence} is not above the last accepted {appended.LastSequence}", device, frame, source, topic);
        }
    }

    private FrameIngestResult Reject(FrameRejection reason, string detail, string? device, DeviceFrame? frame, FrameSource source, string topic)
    {
        Count(reason);
        _logger.LogWarning("Frame rejected ({Reason}): {Detail}; device {Device}, client {Client} at {Address}", reason, detail, device ?? "?", source.ClientId, source.Address ?? "?");
        Rejected?.Invoke(new RejectedFrame(reason, detail, device, source, topic));
        return new FrameIngestResult(false, reason, detail, frame, 0);
    }

    private void Count(FrameRejection reason) => _rejections.AddOrUpdate(reason, 1, (_, n) => n + 1);

    private static string Shorten(string text) => text.Length > 80 ? text[..80] + "…" : text;
}
