// Facade for the device build check: signatures only, written from the upstream public API recorded in
// firmware/facades/manifest.json. Never run; the device links the real nanoFramework assembly.

using nanoFramework.M2Mqtt.Messages;

namespace nanoFramework.M2Mqtt
{
    public interface IMqttClient
    {
        public delegate void MqttMsgPublishedEventHandler(object sender, MqttMsgPublishedEventArgs e);
    }
}
