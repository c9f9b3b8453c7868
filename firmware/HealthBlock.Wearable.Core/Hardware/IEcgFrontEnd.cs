// Firmware core: nanoFramework core library only (see firmware/README.md, "The core's C# subset").
namespace HealthBlock.Wearable.Hardware
{
    /// <summary>An ECG analog front end: one sample per call, with the lead-off state at that moment.</summary>
    public interface IEcgFrontEnd
    {
        /// <summary>
        /// Takes one sample. Returns the ADC count of the front end's output and sets <paramref name="leadOff"/>
        /// when an electrode is detached (the sample then carries no signal).
        /// </summary>
        int ReadSample(out bool leadOff);
    }
}
