namespace HealthBlock.Fhir;

/// <summary>
/// Contiguous ECG of one device at one rate: a frame's samples, or several frames that tile time exactly. The exporter
/// joins segments of consecutive batches that continue each other into one recording before cutting it into
/// observations. Frames flagged lead-off or sensor-fault carry no signal and are not given as segments.
/// </summary>
/// <param name="DeviceId">The device that recorded it.</param>
/// <param name="StartMs">Time of the first sample, ms since the Unix epoch (the frame's timestamp).</param>
/// <param name="RateMilliHz">Sample rate in millihertz (the frame's field: 250 Hz = 250000).</param>
/// <param name="Microvolts">The samples, µV at the electrodes (lead I).</param>
public sealed record EcgSegment(ulong DeviceId, long StartMs, uint RateMilliHz, ReadOnlyMemory<short> Microvolts);
