// Where the sample's merchant back end (samples/hello-merchant) runs. It must also be listed in
// app.json "domains": the app's Content-Security-Policy lets fetch reach nothing else.
export const MERCHANT = 'http://127.0.0.1:8090';
