namespace HealthBlock.Gateway.Batching;

/// <summary>
/// Wakes a waiting loop. <see cref="Set"/> before or during <see cref="WaitAsync"/> ends the wait; a set that comes
/// while the loop is busy is kept for its next wait, so no wake-up is lost.
/// </summary>
internal sealed class WakeSignal
{
    private TaskCompletionSource _signal = New();

    public void Set() => Volatile.Read(ref _signal).TrySetResult();

    /// <summary>Waits until set or until <paramref name="timeout"/> passes on <paramref name="time"/>; then re-arms.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var signal = Volatile.Read(ref _signal);
        if (!signal.Task.IsCompleted)
        {
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(timeout, time, cancel.Token);
            await Task.WhenAny(signal.Task, delay).ConfigureAwait(false);
            await cancel.CancelAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }

        Interlocked.CompareExchange(ref _signal, New(), signal);
    }

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
