using Microsoft.Extensions.Logging;

namespace HealthBlock.Gateway;

/// <summary>Connects a gateway's parts to <see cref="GatewayMetrics"/> and to its Info log lines (frames refused, batches committed).</summary>
internal static class GatewayObservation
{
    /// <summary>Wires the ingestor's and batcher's events of <paramref name="gateway"/>.</summary>
    public static void Wire(GatewayService gateway, ILogger logger)
    {
        gateway.Ingestor.Accepted += (_, _) => GatewayMetrics.FrameAccepted();
        gateway.Ingestor.Rejected += r => GatewayMetrics.FrameRefused(r.Reason.ToString());
        gateway.Batcher.Committed += b =>
        {
            GatewayMetrics.BatchCommitted(b.FrameCount);
            logger.LogInformation("Batch {Batch} committed: {Frames} frames, transaction {Transaction} at height {Height}", b.Batch, b.FrameCount, b.TransactionId, b.Location.Height);
        };
        var batcher = gateway.Batcher;
        GatewayMetrics.Track(gateway.Patient.Id.ToString(), () => batcher.Backlog());
    }
}
