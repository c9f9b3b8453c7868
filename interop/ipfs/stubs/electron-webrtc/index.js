'use strict'
// Stand-in: the HealthBlock test daemon runs offline and never uses WebRTC transports.
module.exports = function electronWebrtc () {
  throw new Error('electron-webrtc is a stub in the HealthBlock IPFS test setup')
}
