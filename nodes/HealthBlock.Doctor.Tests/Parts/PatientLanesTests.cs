using System.Collections.Concurrent;
using HealthBlock.Crypto;
using HealthBlock.Doctor.Lanes;
using HealthBlock.Doctor.Runtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthBlock.Doctor.Tests;

/// <summary>Per-patient lanes (<see cref="PatientLanes"/>): order within a patient, parallelism across patients, retries.</summary>
public sealed class PatientLanesTests : IDisposable
{
    private readonly DoctorParts _parts = new();
    private readonly List<IdentityKey> _patients = [.. Enumerable.Range(0, 4).Select(_ => IdentityKey.Generate())];

    public void Dispose()
    {
        _patients.ForEach(p => p.Dispose());
        _parts.Dispose();
    }

    [Fact]
    public async Task A_patients_steps_never_overlap_and_a_wake_up_while_it_runs_is_not_lost()
    {
        var patient = _patients[0].Id;
        var work = new ConcurrentQueue<int>();
        for (var i = 0; i < 3; i++)
        {
            work.Enqueue(i);
        }

        var running = 0;
        var overlaps = 0;
        var done = new ConcurrentQueue<int>();
        var firstStep = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var lanes = Lanes(async (_, _) =>
        {
            if (Interlocked.Increment(ref running) > 1)
            {
                Interlocked.Increment(ref overlaps);
            }

            try
            {
                if (!work.TryDequeue(out var item))
                {
                    return false;
                }

                firstStep.TrySetResult();
                await release.Task;
                done.Enqueue(item);
                return true;
            }
            finally
            {
                Interlocked.Decrement(ref running);
            }
        }, maxConcurrent: 4);

        lanes.Schedule(patient);
        await firstStep.Task.WaitAsync(TimeSpan.FromSeconds(30));
        lanes.Schedule(patient);
        lanes.Schedule(patient);
        work.Enqueue(3);
        release.SetResult();
        await Eventually.WaitUntilAsync(() => done.Count == 4 && lanes.Running == 0, "every item done and the lane idle");

        Assert.Equal([0, 1, 2, 3], done);
        Assert.Equal(0, overlaps);

        // Work arriving after the lane went idle needs a wake-up, and gets one.
        work.Enqueue(4);
        lanes.Schedule(patient);
        await Eventually.WaitUntilAsync(() => done.Count == 5 && lanes.Running == 0, "the new item done");
        await _parts.Work.StopAsync();
    }

    [Fact]
    public async Task Different_patients_run_in_parallel_up_to_the_limit()
    {
        var running = 0;
        var peak = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var served = new ConcurrentDictionary<IdentityId, int>();
        using var lanes = Lanes(async (patient, _) =>
        {
            if (served.ContainsKey(patient))
            {
                return false;
            }

            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            await release.Task;
            Interlocked.Decrement(ref running);
            served[patient] = 1;
            return true;
        }, maxConcurrent: 2);

        _patients.ForEach(p => lanes.Schedule(p.Id));
        await Eventually.WaitUntilAsync(() => Volatile.Read(ref running) == 2, "two patients in a step at once");
        release.SetResult();
        await Eventually.WaitUntilAsync(() => served.Count == 4 && lanes.Running == 0, "every patient served");

        Assert.Equal(2, peak);
        await _parts.Work.StopAsync();
    }

    [Fact]
    public async Task A_transient_failure_is_retried_and_counted_and_any_other_ends_the_lane_until_the_next_wake_up()
    {
        var patient = _patients[0].Id;
        var calls = 0;
        using var lanes = Lanes((_, _) => Interlocked.Increment(ref calls) switch
        {
            1 => throw new IOException("the store is briefly down"),
            2 => Task.FromResult(true),
            3 => Task.FromResult(false),
            4 => throw new InvalidOperationException("a bug"),
            _ => Task.FromResult(false),
        }, maxConcurrent: 1);

        lanes.Schedule(patient);
        await Eventually.WaitUntilAsync(() => Volatile.Read(ref calls) == 3 && lanes.Running == 0, "the retried lane done");
        Assert.Equal(1, _parts.Counters.Snapshot().TransientFailures);

        lanes.Schedule(patient);
        await Eventually.WaitUntilAsync(() => Volatile.Read(ref calls) == 4 && lanes.Running == 0, "the failed lane ended");
        lanes.Schedule(patient);
        await Eventually.WaitUntilAsync(() => Volatile.Read(ref calls) == 5 && lanes.Running == 0, "the lane running again");
        Assert.Equal(1, _parts.Counters.Snapshot().TransientFailures);
        await _parts.Work.StopAsync();
    }

    [Fact]
    public async Task Nothing_is_scheduled_once_the_node_stops()
    {
        var calls = 0;
        using var lanes = Lanes((_, _) =>
        {
            Interlocked.Increment(ref calls);
            return Task.FromResult(false);
        }, maxConcurrent: 1);

        await _parts.Work.StopAsync();
        lanes.Schedule(_patients[0].Id);

        Assert.Equal(0, lanes.Running);
        Assert.Equal(0, calls);
    }

    private PatientLanes Lanes(Func<IdentityId, CancellationToken, Task<bool>> step, int maxConcurrent) =>
        new(step, maxConcurrent, _parts.Work, DoctorParts.FastBackoff, _parts.Counters, NullLogger.Instance);

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current && Interlocked.CompareExchange(ref target, value, current) != current)
        {
            current = Volatile.Read(ref target);
        }
    }
}
