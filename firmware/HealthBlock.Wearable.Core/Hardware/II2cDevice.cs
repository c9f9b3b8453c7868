// Firmware core: nanoFramework core library only (see firmware/README.md, "The core's C# subset").
namespace HealthBlock.Wearable.Hardware
{
    /// <summary>One device on an I2C / SMBus bus, addressed by the adapter.</summary>
    public interface II2cDevice
    {
        /// <summary>The device's 7-bit bus address (the SMBus packet error code covers it).</summary>
        int Address { get; }

        /// <summary>
        /// Writes <paramref name="writeBuffer"/>, then (repeated start) reads <paramref name="readBuffer"/>.Length bytes.
        /// Returns <c>false</c> when the device did not acknowledge or the transfer was incomplete.
        /// </summary>
        bool WriteRead(byte[] writeBuffer, byte[] readBuffer);
    }
}
