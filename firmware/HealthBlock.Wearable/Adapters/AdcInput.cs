// Device adapter: .NET nanoFramework on ESP32 (compiled in CI by HealthBlock.Wearable.NanoCheck; see firmware/README.md).
using System.Device.Adc;
using HealthBlock.Wearable.Hardware;

namespace HealthBlock.Wearable.Device.Adapters
{
    /// <summary>An ESP32 ADC channel (System.Device.Adc: AdcController.OpenChannel, AdcChannel.ReadValue).</summary>
    internal sealed class AdcInput : IAdcChannel
    {
        private readonly AdcChannel _channel;

        public AdcInput(AdcController controller, int channelNumber)
        {
            _channel = controller.OpenChannel(channelNumber);
        }

        public int ReadValue()
        {
            return _channel.ReadValue();
        }
    }
}
