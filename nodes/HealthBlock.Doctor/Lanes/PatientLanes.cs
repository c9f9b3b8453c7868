using HealthBlock.Crypto;
using HealthBlock.Doctor.Runtime;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Doctor.Lanes;

/// <summary>
/// One lane per patient: a patient's work runs in order, one step at a time, while different patients run in parallel,
/// at most <c>maxConcurrent</c> steps at once. <see cref="Schedule"/> marks a patient's lane dirty (starting it if
/// idle); the lane calls <c>step</c> until it says nothing is left, and again as long as it was marked dirty
/// meanwhile, so a wake-up is never lost and never runs twice at once. A step that fails transiently
/// (<see cref="Transience.IsTransient"/>) is retried after a backoff; any other failure ends the lane (logged) until
/// the patient is scheduled again.
/// </summary>
internal sealed class PatientLanes : IDisposable
{
    private readonly Func<IdentityId, CancellationToken, Task<bool>> _step;
    private readonly SemaphoreSlim _slots;
    private readonly BackgroundWork _work;
    private readonly Func<Backoff> _newBackoff;
    private readonly NodeCounters _counters;
    private readonly ILogger _log;
    private readonly Lock _lock = new();
    private readonly Dictionary<IdentityId, Lane> _lanes = [];

    /// <summary>Lanes that run <paramref name="step"/> (true: it did some work, call again; false: nothing left).</summary>
    public PatientLanes(Func<IdentityId, CancellationToken, Task<bool>> step, int maxConcurrent, BackgroundWork work, Func<Backoff> newBackoff, NodeCounters counters, ILogger log)
    {
        _step = step;
        _slots = new SemaphoreSlim(Math.Max(1, maxConcurrent));
        _work = work;
        _newBackoff = newBackoff;
        _counters = counters;
        _log = log;
    }

    /// <summary>Patients whose lane is running now.</summary>
    public int Running
    {
        get
        {
            lock (_lock)
            {
                return _lanes.Count;
            }
        }
    }

    /// <summary>Asks for the patient's lane to run (again).</summary>
    public void Schedule(IdentityId patient)
    {
        lock (_lock)
        {
            if (_work.IsStopping)
            {
                return;
            }

            if (_lanes.TryGetValue(patient, out var lane))
            {
                lane.Dirty = true;
                return;
            }

            _lanes[patient] = new Lane { Dirty = true };
        }

        _work.Run(() => RunAsync(patient));
    }

    /// <inheritdoc />
    public void Dispose() => _slots.Dispose();

    private async Task RunAsync(IdentityId patient)
    {
        var stop = _work.Stopping;
        var backoff = _newBackoff();
        try
        {
            while (TakeDirty(patient))
            {
                try
                {
                    while (!stop.IsCancellationRequested && await StepAsync(patient, stop).ConfigureAwait(false))
                    {
                        backoff.Reset();
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception e) when (Transience.IsTransient(e))
                {
                    _counters.Transient();
                    _log.LogWarning("Diagnosing for patient {Patient} failed ({Type}: {Message}); retrying in {Delay} ms", patient, e.GetType().Name, e.Message, (int)backoff.Current.TotalMilliseconds);
                    MarkDirty(patient);
                    if (!await _work.DelayAsync(backoff.Current).ConfigureAwait(false))
                    {
                        throw new OperationCanceledException(stop);
                    }

                    backoff.Grow();
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Remove(patient);
        }
        catch (Exception e)
        {
            Remove(patient);
            _log.LogError(e, "The diagnosis lane of patient {Patient} stopped", patient);
        }
    }

    private async Task<bool> StepAsync(IdentityId patient, CancellationToken stop)
    {
        await _slots.WaitAsync(stop).ConfigureAwait(false);
        try
        {
            return await _step(patient, stop).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Clears the lane's dirty mark; false (and the lane removed) when it was clean or the node stops.</summary>
    private bool TakeDirty(IdentityId patient)
    {
        lock (_lock)
        {
            var lane = _lanes[patient];
            if (!lane.Dirty || _work.IsStopping)
            {
                _lanes.Remove(patient);
                return false;
            }

            lane.Dirty = false;
            return true;
        }
    }

    private void MarkDirty(IdentityId patient)
    {
        lock (_lock)
        {
            _lanes[patient].Dirty = true;
        }
    }

    private void Remove(IdentityId patient)
    {
        lock (_lock)
        {
            _lanes.Remove(patient);
        }
    }

    private sealed class Lane
    {
        public bool Dirty { get; set; }
    }
}
