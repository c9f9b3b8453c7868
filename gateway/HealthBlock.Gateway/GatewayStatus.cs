using HealthBlock.Gateway.Ingest;

namespace HealthBlock.Gateway;

/// <summary>A snapshot of the gateway for status displays.</summary>
/// <param name="Patient">The patient id.</param>
/// <param name="MqttPort">The embedded broker's port (0 with an external broker).</param>
/// <param name="FramesAccepted">Frames journalled since start.</param>
/// <param name="Backlog">Frames not yet in a committed batch.</param>
/// <param name="BatchesCommitted">Batches committed since start.</param>
/// <param name="FramesCommitted">Frames in committed batches since start.</param>
/// <param name="Rejections">Refused frames by reason, since start.</param>
/// <param name="Degraded">True while store or ledger failures are being retried.</param>
/// <param name="RefusedBatches">Batches the ledger refused for good (parked) since start.</param>
public sealed record GatewayStatus(string Patient, int MqttPort, long FramesAccepted, long Backlog, long BatchesCommitted, long FramesCommitted, IReadOnlyDictionary<FrameRejection, long> Rejections, bool Degraded, long RefusedBatches);
