namespace HealthBlock.Gateway.Live;

/// <summary>Where sealed live sub-batches go: a broker topic, QoS 0 (the chain path guarantees delivery).</summary>
public interface ILivePublisher
{
    /// <summary>Publishes one sealed sub-batch on <paramref name="topic"/>; false when the broker cannot take it now (it is not retried).</summary>
    Task<bool> PublishAsync(string topic, byte[] sealedBatch, CancellationToken cancellationToken);
}
