export const id = 322;
export const ids = [322];
export const modules = {

/***/ 44322:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   "default": () => (/* binding */ open)
/* harmony export */ });
// Stands in for the `open` package in dist/ (see scripts/build.js). @azure/identity imports `open`
// only to launch a browser for an interactive sign-in, which no runner performs and this action
// never requests; the real package would ship a 32 KB launcher shell script and a chunk of
// browser-launching code in every release.
async function open() {
  throw new Error(
    'Interactive browser sign-in is not available in ldaps-dns-action; use OIDC, a client secret or azure/login'
  )
}


/***/ })

};
