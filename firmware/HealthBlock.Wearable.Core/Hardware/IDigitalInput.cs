// Firmware core: nanoFramework core library only (see firmware/README.md, "The core's C# subset").
namespace HealthBlock.Wearable.Hardware
{
    /// <summary>One digital input pin.</summary>
    public interface IDigitalInput
    {
        /// <summary>Reads the pin: <c>true</c> when it is high.</summary>
        bool IsHigh();
    }
}
