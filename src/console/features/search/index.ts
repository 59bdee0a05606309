// The results page is loaded lazily by the router (features/search/components/SearchPage).
export { SearchBox } from './components/SearchBox';
