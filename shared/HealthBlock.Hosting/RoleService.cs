using Microsoft.Extensions.Hosting;

namespace HealthBlock.Hosting;

/// <summary>
/// A role as a hosted service: <paramref name="start"/> brings it up (and throws <see cref="StartupFailedException"/> for
/// a failure its operator can fix), <paramref name="stop"/> drains and stops it; stop runs only after a successful start.
/// </summary>
/// <param name="start">Starts the role.</param>
/// <param name="stop">Stops the role.</param>
public sealed class RoleService(Func<CancellationToken, Task> start, Func<CancellationToken, Task> stop) : IHostedService
{
    private int _started;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await start(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _started, 1);
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 0) == 1)
        {
            await stop(cancellationToken).ConfigureAwait(false);
        }
    }
}
