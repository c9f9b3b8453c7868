using HealthBlock.Wearable.Simulation.Cuff;
using HealthBlock.Wearable.Simulation.Ecg;
using HealthBlock.Wearable.Simulation.Thermometer;
using HealthBlock.Protocol.Frames;
using HealthBlock.Wearable;
using HealthBlock.Wearable.Hardware;
using HealthBlock.Protocol.Pairing;
using HealthBlock.Wearable.Sampling;
using HealthBlock.Wearable.Sensors;
using HealthBlock.Wearable.Storage;

namespace HealthBlock.Wearable.Simulation.Wearable;

/// <summary>Counters of an emulated wearable at one moment.</summary>
/// <param name="FramesProduced">Readings the sampler queued.</param>
/// <param name="FramesSent">Frames the broker acknowledged.</param>
/// <param name="FramesDropped">Readings the full offline queue dropped (reported in <c>dropped</c> fields).</param>
/// <param name="Queued">Readings waiting in the queue.</param>
/// <param name="FrameInFlight">Whether a signed frame waits for its acknowledgement.</param>
/// <param name="Connects">MQTT sessions opened.</param>
/// <param name="PublishFailures">Publishes that failed.</param>
public sealed record WearableStatistics(long FramesProduced, long FramesSent, long FramesDropped, int Queued, bool FrameInFlight, int Connects, int PublishFailures)
{
    /// <summary>Whether everything produced has been sent or dropped.</summary>
    public bool IsDrained => Queued == 0 && !FrameInFlight;
}
