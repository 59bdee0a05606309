export { SignInPage } from './components/SignInPage';
export { ForgotPasswordPage } from './components/ForgotPasswordPage';
export { SetPasswordPage } from './components/SetPasswordPage';
export { RequireSession } from './components/RequireSession';
export { SignOutButton } from './components/SignOutButton';
