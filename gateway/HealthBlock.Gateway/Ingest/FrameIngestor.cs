using System.Collections.Concurrent;
using HealthBlock.Gateway.Journal;
using HealthBlock.Protocol;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Mqtt;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Gateway.Ingest;

/// <summary>Why the gateway refused a frame. Each is counted and logged with the device and client address.</summary>
public enum RejectionReason
{
    /// <summary>The topic is not <c>hb/&lt;patient&gt;/&lt;device&gt;/&lt;sensor&gt;</c>.</summary>
    MalformedTopic,

    /// <summary>The topic names another patient.</summary>
    WrongPatient,

    /// <summary>The payload is not a valid frame (the detail names the <see cref="ProtocolError"/>).</summary>
    MalformedFrame,

    /// <summary>No device with this id is paired.</summary>
    UnknownDevice,

    /// <summary>The device is paired but not active (pairing window not confirmed, or removed).</summary>
    DeviceNotActive,

    /// <summary>The HMAC does not verify under the device's key.</summary>
    BadMac,

    /// <summary>The topic's device or sensor differs from the frame's.</summary>
    TopicMismatch,

    /// <summary>A sequence number at or below the device's last one, with different bytes.</summary>
    Replay,

    /// <summary>A frame already journalled (a retransmission); acknowledged, not stored twice.</summary>
    Duplicate,

    /// <summary>The journal could not make the frame durable; it is not acknowledged.</summary>
    JournalUnavailable,
}

/// <summary>Where a frame came from, for logs and alerts.</summary>
/// <param name="ClientId">The MQTT client id.</param>
/// <param name="Address">The client's network address, when known.</param>
public sealed record FrameSource(string ClientId, string? Address);

/// <summary>The result of ingesting one MQTT message.</summary>
/// <param name="Accepted">True when the frame is durable (newly or already) and may be acknowledged as success.</param>
/// <param name="Reason">Why it was refused, when it was.</param>
/// <param name="Detail">A one-line detail.</param>
/// <param name="Frame">The decoded frame, when decoding got that far.</param>
/// <param name="FrameId">The journal id, when journalled.</param>
public sealed record IngestResult(bool Accepted, RejectionReason? Reason, string Detail, DeviceFrame? Frame, long FrameId);

/// <summary>A refused frame, as raised to alert sinks.</summary>
/// <param name="Reason">Why.</param>
/// <param name="Detail">One line.</param>
/// <param name="DeviceId">The device the frame claims to come from (16 hex digits), when it could be read.</param>
/// <param name="Source">The MQTT client and address.</param>
/// <param name="Topic">The MQTT topic.</param>
public sealed record FrameRejection(RejectionReason Reason, string Detail, string? DeviceId, FrameSource Source, string Topic);

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
    private readonly ConcurrentDictionary<RejectionReason, long> _rejections = new();
    private long _accepted;
    private long _gaps;

    /// <summary>Creates the ingestor for <paramref name="patient"/>'s gateway.</summary>
    public FrameIngestor(string patient, DeviceRegistry devices, FrameJournal journal, ILogger logger)
    {
        _patient = patient;
        _devices = devices;
        _journal = journal;
        _logger = logger;
    }

    /// <summary>Raised for every refused frame (after it is counted and logged).</summary>
    public event Action<FrameRejection>? Rejected;

    /// <summary>Raised for every newly journalled frame.</summary>
    public event Action<DeviceFrame, long>? Accepted;

    /// <summary>Frames newly journalled.</summary>
    public long AcceptedCount => Interlocked.Read(ref _accepted);

    /// <summary>Sequence numbers found missing (gaps accepted and recorded).</summary>
    public long GapCount => Interlocked.Read(ref _gaps);

    /// <summary>Rejections by reason since start.</summary>
    public IReadOnlyDictionary<RejectionReason, long> Rejections => new Dictionary<RejectionReason, long>(_rejections);

    /// <summary>The topic a device publishes a sensor's frames on.</summary>
    public static string Topic(string patient, ulong device, SensorKind kind) => DeviceTopics.ForSensor(patient, device, (byte)kind);

    /// <summary>The subscription filter of one patient's frames.</summary>
    public static string TopicFilter(string patient) => DeviceTopics.PatientFilter(patient);

    /// <summary>Ingests one message; never throws for bad input.</summary>
    public async Task<IngestResult> IngestAsync(string topic, ReadOnlyMemory<byte> payload, FrameSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(source);
        if (!DeviceTopics.TryParse(topic, out var topicPatient, out var topicDevice, out var topicKindByte))
        {
            return Reject(RejectionReason.MalformedTopic, $"topic '{Shorten(topic)}' is not hb/<patient>/<device>/<sensor>", null, null, source, topic);
        }

        var topicDeviceName = DeviceTopics.FormatDeviceId(topicDevice);
        var topicKind = (SensorKind)topicKindByte;
        if (topicPatient != _patient)
        {
            return Reject(RejectionReason.WrongPatient, $"topic names patient '{Shorten(topicPatient)}', this gateway serves {_patient}", topicDeviceName, null, source, topic);
        }

        DeviceFrame frame;
        try
        {
            frame = DeviceFrame.Decode(payload.Span);
        }
        catch (ProtocolException e)
        {
            return Reject(RejectionReason.MalformedFrame, $"{e.Error}: {e.Message}", topicDeviceName, null, source, topic);
        }

        var device = frame.DeviceName;
        if (!_devices.TryGet(frame.DeviceId, out var entry) || entry.State == DeviceState.Removed)
        {
            return Reject(RejectionReason.UnknownDevice, $"device {device} is not paired", device, frame, source, topic);
        }

        if (!frame.VerifyTag(entry.Key))
        {
            return Reject(RejectionReason.BadMac, $"frame {frame.Sequence} fails HMAC verification", device, frame, source, topic);
        }

        if (entry.State != DeviceState.Active)
        {
            return Reject(RejectionReason.DeviceNotActive, $"device {device} is {entry.State.ToString().ToLowerInvariant()}", device, frame, source, topic);
        }

        if (frame.DeviceId != topicDevice || frame.Kind != topicKind)
        {
            return Reject(RejectionReason.TopicMismatch, $"frame of {device}/{SensorKinds.TopicName(frame.Kind)} on topic {topicDeviceName}/{SensorKinds.TopicName(topicKind)}", device, frame, source, topic);
        }

        AppendResult appended;
        try
        {
            appended = await _journal.AppendAsync(frame, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), cancellationToken);
        }
        catch (JournalException e)
        {
            return Reject(RejectionReason.JournalUnavailable, e.InnerException?.Message ?? e.Message, device, frame, source, topic);
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
                return new IngestResult(true, null, "journalled", frame, appended.FrameId);
            case AppendOutcome.Duplicate:
                Count(RejectionReason.Duplicate);
                _logger.LogInformation("Device {Device} at {Address}: frame {Sequence} is already journalled (retransmission)", device, source.Address, frame.Sequence);
                return new IngestResult(true, RejectionReason.Duplicate, "already journalled", frame, appended.FrameId);
            default:
                return Reject(RejectionReason.Replay, $"sequence {frame.Sequence} is not above the last accepted {appended.LastSequence}", device, frame, source, topic);
        }
    }

    private IngestResult Reject(RejectionReason reason, string detail, string? device, DeviceFrame? frame, FrameSource source, string topic)
    {
        Count(reason);
        _logger.LogWarning("Frame rejected ({Reason}): {Detail}; device {Device}, client {Client} at {Address}", reason, detail, device ?? "?", source.ClientId, source.Address ?? "?");
        Rejected?.Invoke(new FrameRejection(reason, detail, device, source, topic));
        return new IngestResult(false, reason, detail, frame, 0);
    }

    private void Count(RejectionReason reason) => _rejections.AddOrUpdate(reason, 1, (_, n) => n + 1);

    private static string Shorten(string text) => text.Length > 80 ? text[..80] + "…" : text;
}
