using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace HealthBlock.Gateway.Mqtt;

/// <summary>
/// One token bucket per connected client (System.Threading.RateLimiting): <see cref="MqttListenerLimits.PublishBurst"/>
/// publishes at once, then <see cref="MqttListenerLimits.PublishesPerSecond"/>. A publish over the rate waits for a token
/// (MQTTnet reads a client's packets one after the other, so the client is slowed, not answered wrongly: an MQTT 3.1.1
/// device cannot tell a refusing PUBACK from an accepting one, and would lose the frame); beyond a short queue the
/// client is disconnected and resends after reconnecting.
/// </summary>
internal sealed class PublishRateLimiter(MqttListenerLimits limits) : IDisposable
{
    private const int QueueLimit = 4;
    private readonly ConcurrentDictionary<string, TokenBucketRateLimiter> _clients = new();

    /// <summary>
    /// Waits for <paramref name="clientId"/>'s next token. Returns (true, false) at once within the rate, (true, true)
    /// after waiting, and (false, true) when the client has too many publishes waiting.
    /// </summary>
    public async ValueTask<(bool Admitted, bool Limited)> AcquireAsync(string clientId, CancellationToken cancellationToken)
    {
        var limiter = _clients.GetOrAdd(clientId, _ => New());
        using (var lease = limiter.AttemptAcquire())
        {
            if (lease.IsAcquired)
            {
                return (true, false);
            }
        }

        using var waited = await limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        return (waited.IsAcquired, true);
    }

    /// <summary>Forgets a client that disconnected.</summary>
    public void Forget(string clientId)
    {
        if (_clients.TryRemove(clientId, out var limiter))
        {
            limiter.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var limiter in _clients.Values)
        {
            limiter.Dispose();
        }

        _clients.Clear();
    }

    private TokenBucketRateLimiter New()
    {
        // Tokens every 100 ms, so a client over its rate waits a tenth of a second, not a whole one.
        var perTick = Math.Max(1, limits.PublishesPerSecond / 10);
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = limits.PublishBurst,
            TokensPerPeriod = perTick,
            ReplenishmentPeriod = TimeSpan.FromMilliseconds(100.0 * perTick * 10 / limits.PublishesPerSecond),
            QueueLimit = QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }
}
