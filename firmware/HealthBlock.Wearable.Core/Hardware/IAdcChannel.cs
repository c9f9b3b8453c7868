// Firmware core: nanoFramework core library only (see firmware/README.md, "The core's C# subset").
namespace HealthBlock.Wearable.Hardware
{
    /// <summary>One analog input channel (the ESP32 ADC on the device).</summary>
    public interface IAdcChannel
    {
        /// <summary>Runs one conversion and returns the raw count (0 to 4095 for a 12-bit converter).</summary>
        int ReadValue();
    }
}
